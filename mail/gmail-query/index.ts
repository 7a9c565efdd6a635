export { parseGmailQuery, type ParsedGmailQuery } from './parse.js';
export { GmailQueryError } from './tokenize.js';
export type { OperatorContext } from './operators.js';
export { mailboxResolver } from './mailbox-resolver.js';
