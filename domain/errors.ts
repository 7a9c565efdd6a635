/**
 * Errors that cross a port carry a machine-readable code. Protocol layers map codes to their own
 * replies (SMTP code + enhanced code, IMAP response code, HTTP status + error code).
 */
export type StoreErrorCode =
  | 'not_found'
  | 'already_exists'
  | 'invalid'
  | 'quota_exceeded'
  | 'conflict'
  | 'cannot_delete'
  | 'nonexistent_parent';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}

export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}
