/**
 * The value model shared by the response encoder (imap/protocol/) and the producers of response
 * data (imap/mime/, imap/commands/). Producers say what a value is; the encoder alone decides how
 * it goes on the wire (atom, quoted string or literal; RFC 3501 4, RFC 9051 4).
 */
export type ImapValue =
  | null // NIL
  | number // a number (RFC 3501 number / RFC 9051 number64); must be a non-negative integer
  | bigint // a 63-bit number (MODSEQ, X-GM-MSGID)
  | string // an nstring/astring value: the encoder picks quoted or literal (never an atom)
  | ImapAtom // sent as is: flags, keywords, capability names, response codes
  | ImapLiteral // always a literal, e.g. message bytes (BODY[] data)
  | ImapRun // values back to back, no separator
  | ImapValue[]; // a parenthesised list, elements separated by one space

/** Bytes sent verbatim; the producer guarantees they are a valid atom or flag (e.g. `\Seen`, `BODY[1.2]<0>`). */
export interface ImapAtom {
  atom: string;
}

/**
 * Literal data. `binary` marks a RFC 3516 literal8 (`~{n}`) for BINARY[] answers. Streamed data
 * has a known length up front (RFC 3501 literals need it) and is pulled lazily.
 */
export interface ImapLiteral {
  literal: Buffer | { length: number; open(): NodeJS.ReadableStream };
  binary?: boolean;
}

/**
 * Values written back to back with nothing between them, inside whatever list holds the run.
 * The grammar wants this where it says `1*x` without SP: the bodies of a multipart
 * (RFC 3501 body-type-mpart = 1*body SP media-subtype) and the addresses of an envelope
 * list (env-from = "(" 1*address ")").
 */
export interface ImapRun {
  run: ImapValue[];
}

export const atom = (a: string): ImapAtom => ({ atom: a });
export const run = (values: ImapValue[]): ImapRun => ({ run: values });
export const literal = (data: Buffer): ImapLiteral => ({ literal: data });

/**
 * A FETCH section spec (RFC 3501 6.4.5, RFC 9051 6.4.5): `part` is the dotted part number
 * (empty for the whole message); `text` is the section-text after it, if any.
 */
export interface SectionSpec {
  part: number[];
  text?: 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';
  /** Field names for HEADER.FIELDS and HEADER.FIELDS.NOT, as the client sent them. */
  fields?: string[];
}

/** A partial range `<origin.count>` (count absent when the client sent `<origin>` in a FETCH response). */
export interface PartialRange {
  origin: number;
  count: number;
}
