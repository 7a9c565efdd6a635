/**
 * Line ends. RFC 5322 2.3: CR and LF only ever occur together as CRLF. Heron serves, signs,
 * checks and stores one form of a message, its CRLF form: a bare LF and a bare CR each become
 * CRLF, in the header block and in the body alike, so a reader that splits lines on CR, on LF
 * or on CRLF sees the same lines (issue 9: `X-A: a\rFrom: ann` is two fields, for every reader).
 */

const CR = 0x0d;
const LF = 0x0a;

/**
 * Finds line ends in a buffer where CRLF, a bare LF and a bare CR each end a line. Positions of
 * the next CR and LF are cached, so a whole scan costs two memchr passes: linear in the input.
 */
export class LineCursor {
  #nextCr = -2;
  #nextLf = -2;

  constructor(
    readonly buf: Buffer,
    readonly end: number = buf.length,
  ) {}

  /**
   * The line end at or after `pos`: `at` is where it starts, `next` where the following line
   * starts. `at === end` (and `next === end`) when the rest has no line end.
   */
  find(pos: number): { at: number; next: number } {
    if (this.#nextCr !== -1 && this.#nextCr < pos) this.#nextCr = this.#search(CR, pos);
    if (this.#nextLf !== -1 && this.#nextLf < pos) this.#nextLf = this.#search(LF, pos);
    const cr = this.#nextCr;
    const lf = this.#nextLf;
    if (cr === -1 && lf === -1) return { at: this.end, next: this.end };
    if (cr !== -1 && (lf === -1 || cr < lf)) return { at: cr, next: lf === cr + 1 ? cr + 2 : cr + 1 };
    return { at: lf, next: lf + 1 };
  }

  #search(byte: number, pos: number): number {
    const i = this.buf.indexOf(byte, pos);
    return i === -1 || i >= this.end ? -1 : i;
  }
}

/** Counts the bare CRs and bare LFs in `buf` (each needs one more byte to become CRLF). */
export function countBareLineEnds(buf: Buffer): number {
  let bare = 0;
  for (let i = buf.indexOf(LF); i !== -1; i = buf.indexOf(LF, i + 1)) if (i === 0 || buf[i - 1] !== CR) bare++;
  for (let i = buf.indexOf(CR); i !== -1; i = buf.indexOf(CR, i + 1)) if (buf[i + 1] !== LF) bare++;
  return bare;
}

/**
 * The message with every bare CR and bare LF turned into CRLF. Returns `buf` itself when it is
 * already clean (the common case costs two memchr scans and no copy).
 */
export function normalizeLineEnds(buf: Buffer): Buffer {
  const extra = countBareLineEnds(buf);
  if (extra === 0) return buf;
  const out = Buffer.allocUnsafe(buf.length + extra);
  const cursor = new LineCursor(buf);
  let pos = 0;
  let o = 0;
  while (pos < buf.length) {
    const { at, next } = cursor.find(pos);
    o += buf.copy(out, o, pos, at);
    if (at === buf.length) break;
    out[o++] = CR;
    out[o++] = LF;
    pos = next;
  }
  return out;
}
