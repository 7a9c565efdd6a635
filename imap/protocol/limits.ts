/**
 * Limits the parser enforces, each a named setting with a default (after Dovecot's
 * imap_max_line_length and friends). Exceeding one answers `BAD` with a response code; nothing
 * a client sends can make the parser hold more than these bounds or work harder than linearly.
 */
export interface ProtocolLimits {
  /** Bytes in one line segment (between literals), CRLF excluded. A longer line ends the session with BYE. */
  maxLineLength: number;
  /** Largest literal in any command but APPEND (passwords, search strings, mailbox names). */
  maxLiteralSize: number;
  /** Largest message literal in APPEND (RFC 7889 APPENDLIMIT). */
  maxAppendSize: number;
  /** Total bytes of all message literals in one APPEND (MULTIAPPEND, RFC 3502). */
  maxAppendTotal: number;
  /** Literals in one command. */
  maxLiterals: number;
  /** Bytes of one command other than APPEND message data: line segments plus small literals. */
  maxCommandSize: number;
  /** Parenthesis nesting (search keys, BODYSTRUCTURE-like lists in NOTIFY, CATENATE). */
  maxDepth: number;
  /** Items in one list or search program (fetch items, flags, search keys, patterns). */
  maxItems: number;
}

export const DEFAULT_PROTOCOL_LIMITS: ProtocolLimits = {
  // 1 MiB: room for the very long UID sets mbsync and Thunderbird send (tens of thousands of
  // ranges), still a hard bound per connection.
  maxLineLength: 1024 * 1024,
  maxLiteralSize: 64 * 1024,
  maxAppendSize: 50 * 1024 * 1024,
  maxAppendTotal: 100 * 1024 * 1024,
  maxLiterals: 1000,
  maxCommandSize: 2 * 1024 * 1024,
  maxDepth: 32,
  maxItems: 100_000,
};
