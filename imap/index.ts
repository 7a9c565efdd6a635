export { createImapServer, type ImapServer, type ImapServerOptions } from './server.js';
export { DEFAULT_IMAP_LIMITS, type ImapLimits } from './deps.js';
export { ImapCodes, ImapNo, type ImapCode } from './response-codes.js';
