/**
 * How a command fails: `ImapNo` is a deliberate refusal (`NO [code]`), `ImapBad` a client
 * mistake found after parsing (`BAD`); a StoreError maps to its response code; anything else is
 * a bug in Heron, answered `NO [SERVERBUG]` for that command only (RFC 5530).
 */
import { isStoreError, type StoreErrorCode } from '../../domain/index.js';
import { ProtocolError } from '../protocol/errors.js';

/** The response codes this server sends (RFC 5530, RFC 3501, RFC 4469, RFC 4315, RFC 7162), shared with the tests. */
export const ImapCodes = {
  nonexistent: 'NONEXISTENT',
  alreadyExists: 'ALREADYEXISTS',
  overQuota: 'OVERQUOTA',
  cannot: 'CANNOT',
  serverBug: 'SERVERBUG',
  clientBug: 'CLIENTBUG',
  tryCreate: 'TRYCREATE',
  tooBig: 'TOOBIG',
  limit: 'LIMIT',
  inUse: 'INUSE',
  readOnly: 'READ-ONLY',
  authenticationFailed: 'AUTHENTICATIONFAILED',
  unavailable: 'UNAVAILABLE',
  privacyRequired: 'PRIVACYREQUIRED',
  expungeIssued: 'EXPUNGEISSUED',
  badCharset: 'BADCHARSET',
  noPerm: 'NOPERM',
  badUrl: 'BADURL',
  unknownCte: 'UNKNOWN-CTE',
  compressionActive: 'COMPRESSIONACTIVE',
  useAttr: 'USEATTR',
  closed: 'CLOSED',
} as const;

export type ImapCode = (typeof ImapCodes)[keyof typeof ImapCodes];

export class ImapNo extends Error {
  constructor(
    readonly code: ImapCode | null,
    message: string,
    readonly codeData?: string,
  ) {
    super(message);
    this.name = 'ImapNo';
  }
}

export class ImapBad extends Error {
  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'ImapBad';
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

export interface FailureStatus {
  status: 'NO' | 'BAD';
  code: string | null;
  codeData?: string;
  text: string;
  /** False for a bug: logged with its stack. */
  expected: boolean;
}

export function failureOf(err: unknown): FailureStatus {
  if (err instanceof ImapNo) return { status: 'NO', code: err.code, ...(err.codeData ? { codeData: err.codeData } : {}), text: err.message, expected: true };
  if (err instanceof ImapBad) return { status: 'BAD', code: err.code, text: err.message, expected: true };
  if (err instanceof ProtocolError) return { status: err.status, code: err.code, ...(err.codeData ? { codeData: err.codeData } : {}), text: err.message, expected: true };
  if (isStoreError(err)) return { status: 'NO', code: STORE_TO_IMAP[err.code] ?? ImapCodes.serverBug, text: err.message, expected: true };
  return { status: 'NO', code: ImapCodes.serverBug, text: 'Internal error, the command was not completed', expected: false };
}
