import { LineCursor } from './line-ends.js';

/**
 * The one RFC 5322 header model (section 2.2) for every path that reads or writes headers:
 * submission checks, MX, DKIM, API send, vacation, DSN, and the MIME parser. A header block is
 * the lines up to the first empty line; CRLF, a bare LF and a bare CR each end a line, exactly as
 * `normalizeLineEnds` rewrites them, so the fields seen here are the fields of the normalised
 * message. There is no size window: every line is looked at, in linear time.
 */

const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;

/** One header field. Offsets are absolute positions in the buffer it was split from. */
export class HeaderField {
  /** Field name as written, without whitespace before the colon (RFC 5322 4.5.3 obs-optional). Empty for a line with no colon. */
  readonly name: string;
  /** `name` lower-cased: field names compare case-insensitively (RFC 5322 1.2.2). */
  readonly key: string;

  constructor(
    readonly source: Buffer,
    /** First byte of the field line. */
    readonly start: number,
    /** Position of the colon, -1 for a malformed line without one. */
    readonly colon: number,
    /** End of the field's last line, before its line end. */
    readonly contentEnd: number,
    /** After the line end of the field's last line (= contentEnd when the input ends there). */
    readonly end: number,
  ) {
    if (colon < 0) {
      this.name = '';
    } else {
      let e = colon;
      while (e > start && (source[e - 1] === SP || source[e - 1] === HTAB)) e--;
      this.name = source.toString('latin1', start, e);
    }
    this.key = this.name.toLowerCase();
  }

  /** The whole field, folds and final line end included, as written. */
  get bytes(): Buffer {
    return this.source.subarray(this.start, this.end);
  }

  /** The value bytes after the colon (the whole line when there is none), folds kept, no final line end. */
  get raw(): Buffer {
    return this.source.subarray(this.colon < 0 ? this.start : this.colon + 1, this.contentEnd);
  }

  /** The value unfolded (RFC 5322 2.2.3), trimmed of surrounding white space, read as UTF-8 (RFC 6532). Encoded words are left as written. */
  get value(): string {
    return unfold(this.raw).toString('utf8');
  }
}

/** A message's (or MIME part's) header block and where its body starts. */
export interface HeaderBlock {
  fields: HeaderField[];
  /** Where the header block starts. */
  start: number;
  /** End of the last field, including its line end; the empty line (if any) starts here. */
  headerEnd: number;
  /** Where the body starts: after the empty line, or the end of input when there is none. */
  bodyStart: number;
  /** Whether an empty line ended the block (false for a headers-only message). */
  hasSeparator: boolean;
  /** True when `maxFields` stopped the listing; the block's extent is still exact. */
  truncated: boolean;
  /** Set when `stopAt` ended the block: the start of the line it stopped at (headerEnd = bodyStart = this). */
  stoppedAt?: number;
}

export interface SplitOptions {
  start?: number;
  end?: number;
  /** Stop listing fields after this many (the block's end is still found). Default: no limit. */
  maxFields?: number;
  /**
   * Asked at the start of each line that is not a continuation: true ends the block there without
   * an empty line (the MIME parser uses it for a boundary line inside a part's header, RFC 2046 5.1.1).
   */
  stopAt?: (lineStart: number) => boolean;
}

/**
 * Splits the header block at `start` off the body. A line that starts with white space continues
 * the field before it (a continuation with no field before it becomes a field of its own without
 * a colon, as does any line without one), so no byte of the block is lost.
 */
export function splitHeader(buf: Buffer, opts: SplitOptions = {}): HeaderBlock {
  const start = opts.start ?? 0;
  const end = opts.end ?? buf.length;
  const maxFields = opts.maxFields ?? Infinity;
  const cursor = new LineCursor(buf, end);
  const fields: HeaderField[] = [];
  let truncated = false;
  let pos = start;
  // The field being collected: its first byte, colon and the end of its latest line.
  let fStart = -1;
  let fColon = -1;
  let fContentEnd = -1;
  // Cached like LineCursor's positions: a search per line would rescan lines without a colon.
  let nextColon = -2;
  const flush = (fEnd: number) => {
    if (fStart < 0) return;
    if (fields.length < maxFields) fields.push(new HeaderField(buf, fStart, fColon, fContentEnd, fEnd));
    else truncated = true;
    fStart = -1;
  };
  while (pos < end) {
    const { at, next } = cursor.find(pos);
    if (at === pos && at < end) {
      // The empty line: the header block ends here.
      flush(pos);
      return { fields, start, headerEnd: pos, bodyStart: next, hasSeparator: true, truncated };
    }
    const first = buf[pos];
    if (opts.stopAt && first !== SP && first !== HTAB && opts.stopAt(pos)) {
      flush(pos);
      return { fields, start, headerEnd: pos, bodyStart: pos, hasSeparator: false, truncated, stoppedAt: pos };
    }
    if ((first === SP || first === HTAB) && fStart >= 0) {
      fContentEnd = at;
    } else {
      flush(pos);
      fStart = pos;
      if (nextColon !== -1 && nextColon < pos) nextColon = buf.indexOf(COLON, pos);
      fColon = nextColon >= 0 && nextColon < at && first !== SP && first !== HTAB ? nextColon : -1;
      fContentEnd = at;
    }
    pos = next;
  }
  flush(end);
  return { fields, start, headerEnd: end, bodyStart: end, hasSeparator: false, truncated };
}

/** Removes every line end that is followed by white space (the fold), then trims surrounding white space. */
export function unfold(raw: Buffer): Buffer {
  let s = 0;
  let e = raw.length;
  const isSpace = (b: number | undefined) => b === SP || b === HTAB || b === 0x0d || b === 0x0a;
  while (s < e && isSpace(raw[s])) s++;
  while (e > s && isSpace(raw[e - 1])) e--;
  const body = raw.subarray(s, e);
  if (!body.includes(0x0a) && !body.includes(0x0d)) return body;
  const out = Buffer.allocUnsafe(body.length);
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (b === 0x0d || b === 0x0a) continue;
    out[o++] = b;
  }
  return out.subarray(0, o);
}

/** Every value of the named field, unfolded, in header order (RFC 5322 fields may repeat). */
export function headerValues(block: HeaderBlock | HeaderField[], name: string): string[] {
  const key = name.toLowerCase();
  const fields = Array.isArray(block) ? block : block.fields;
  const out: string[] = [];
  for (const f of fields) if (f.key === key) out.push(f.value);
  return out;
}

/** The first value of the named field, or null when it is absent. */
export function headerValue(block: HeaderBlock | HeaderField[], name: string): string | null {
  const key = name.toLowerCase();
  const fields = Array.isArray(block) ? block : block.fields;
  for (const f of fields) if (f.key === key) return f.value;
  return null;
}

/** The fields with the named key, in order. */
export function headerFields(block: HeaderBlock | HeaderField[], name: string): HeaderField[] {
  const key = name.toLowerCase();
  const fields = Array.isArray(block) ? block : block.fields;
  return fields.filter((f) => f.key === key);
}
