import { countBareLineEnds, normalizeLineEnds } from '../mime/line-ends.js';

const CR = 0x0d;
const LF = 0x0a;
const CRLF = Buffer.from('\r\n');
const EMPTY = Buffer.alloc(0);

/** Index of the first CR in `buf` that no LF follows, or -1. */
function firstBareCr(buf: Buffer): number {
  for (let i = buf.indexOf(CR); i !== -1; i = buf.indexOf(CR, i + 1)) if (buf[i + 1] !== LF) return i;
  return -1;
}

/**
 * `normalizeLineEnds` for a message seen chunk by chunk (RFC 5322 2.3): the concatenated output
 * equals normalizeLineEnds of the concatenated input, so a spooled message is the same bytes as
 * one held in memory. A CR at the end of a chunk is held back until the next byte says whether
 * it is bare. Notes where the first bare CR went (as an output offset), since after the rewrite
 * it can no longer be told apart: the MX refuses one inside the header block (issue 9).
 * Linear in the input; a clean chunk comes back as is, without a copy.
 */
export class LineEndStream {
  #pendingCr = false;
  #out = 0;
  #firstBareCr = -1;

  /** Output offset of the first bare CR (now a CRLF), or -1 when none was seen. */
  get firstBareCr(): number {
    return this.#firstBareCr;
  }

  /** Bytes produced so far. */
  get bytesOut(): number {
    return this.#out;
  }

  push(chunk: Buffer): Buffer {
    let input = chunk;
    let lead = EMPTY;
    if (this.#pendingCr && input.length > 0) {
      this.#pendingCr = false;
      lead = CRLF;
      if (input[0] === LF) input = input.subarray(1);
      else this.#noteBareCr(this.#out);
    }
    if (input.length > 0 && input[input.length - 1] === CR) {
      this.#pendingCr = true;
      input = input.subarray(0, input.length - 1);
    }
    if (this.#firstBareCr < 0) {
      const at = firstBareCr(input);
      if (at >= 0) this.#noteBareCr(this.#out + lead.length + at + countBareLineEnds(input.subarray(0, at)));
    }
    const body = normalizeLineEnds(input);
    const out = lead.length === 0 ? body : Buffer.concat([lead, body]);
    this.#out += out.length;
    return out;
  }

  /** The held-back CR, if the input ended with one (it is bare: nothing follows). */
  end(): Buffer {
    if (!this.#pendingCr) return EMPTY;
    this.#pendingCr = false;
    this.#noteBareCr(this.#out);
    this.#out += 2;
    return CRLF;
  }

  #noteBareCr(offset: number): void {
    if (this.#firstBareCr < 0) this.#firstBareCr = offset;
  }
}
