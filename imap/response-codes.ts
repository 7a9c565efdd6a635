import { isStoreError, type StoreErrorCode } from '../domain/index.js';

/**
 * IMAP response codes this server sends, as named constants shared with the tests.
 * RFC 5530 (NONEXISTENT, ALREADYEXISTS, OVERQUOTA, CANNOT, SERVERBUG, LIMIT, INUSE),
 * RFC 3501 (TRYCREATE), RFC 4469 (TOOBIG).
 */
export const ImapCodes = {
  nonexistent: 'NONEXISTENT',
  alreadyExists: 'ALREADYEXISTS',
  overQuota: 'OVERQUOTA',
  cannot: 'CANNOT',
  serverBug: 'SERVERBUG',
  tryCreate: 'TRYCREATE',
  tooBig: 'TOOBIG',
  limit: 'LIMIT',
  inUse: 'INUSE',
  readOnly: 'READ-ONLY',
} as const;

export type ImapCode = (typeof ImapCodes)[keyof typeof ImapCodes];

/** A hook's deliberate refusal; becomes `NO [code]`. */
export class ImapNo extends Error {
  readonly code: ImapCode;
  constructor(code: ImapCode, message?: string) {
    super(message ?? code);
    this.name = 'ImapNo';
    this.code = code;
  }
}

const STORE_TO_IMAP: Record<StoreErrorCode, ImapCode> = {
  not_found: ImapCodes.nonexistent,
  already_exists: ImapCodes.alreadyExists,
  invalid: ImapCodes.cannot,
  quota_exceeded: ImapCodes.overQuota,
  conflict: ImapCodes.inUse,
  cannot_delete: ImapCodes.cannot,
  nonexistent_parent: ImapCodes.nonexistent,
};

/** The response code for any thrown value; unknown errors are SERVERBUG (and get logged). */
export function imapCodeFor(err: unknown): { code: ImapCode; expected: boolean } {
  if (err instanceof ImapNo) return { code: err.code, expected: true };
  if (isStoreError(err)) return { code: STORE_TO_IMAP[err.code] ?? ImapCodes.serverBug, expected: true };
  return { code: ImapCodes.serverBug, expected: false };
}
