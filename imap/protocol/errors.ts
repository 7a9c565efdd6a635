/**
 * What the protocol layer throws when a command cannot be parsed: the session answers it as a
 * tagged `BAD` (or `NO` where the RFC says so, e.g. BADCHARSET), with the response code given.
 */
export class ProtocolError extends Error {
  constructor(
    message: string,
    /** RFC 5530 / RFC 3501 response code, e.g. `TOOBIG`, `LIMIT`, `BADCHARSET`, or null. */
    readonly code: string | null = null,
    readonly status: 'BAD' | 'NO' = 'BAD',
    /** Extra data after the code, e.g. `(UTF-8 US-ASCII)` for BADCHARSET (already encoded). */
    readonly codeData?: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export const bad = (message: string, code: string | null = null): ProtocolError => new ProtocolError(message, code);
