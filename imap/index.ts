export { createImapServer, type ImapServer, type ImapServerOptions } from './server.js';
export { DEFAULT_IMAP_LIMITS, type ImapLimits } from './session/deps.js';
export { ImapCodes, ImapNo, ImapBad, type ImapCode } from './session/imap-error.js';
export { ThreadCache } from './session/thread-cache.js';
export { FlagCache } from './session/flag-cache.js';
