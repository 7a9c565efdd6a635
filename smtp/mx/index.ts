export { createMxServer, type MxServer } from './create-mx-server.js';
export { MX_LIMIT_DEFAULTS, type MxLimits, type MxServerOptions } from './mx-options.js';
