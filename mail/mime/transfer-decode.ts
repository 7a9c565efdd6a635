import { Transform, type TransformCallback } from 'node:stream';
import { hexValue } from './hex-escapes.js';

/**
 * Content-Transfer-Encoding decoders (RFC 2045 6): incremental, so a 30 MB attachment streams
 * through bounded memory, and lenient the way IMAP BINARY (RFC 3516) and attachment downloads
 * need: base64 skips what is not in its alphabet, quoted-printable keeps a malformed `=` as
 * written. Each call of `push` is linear in its input.
 */
export interface TransferDecoder {
  push(chunk: Buffer): Buffer;
  end(): Buffer;
}

/** Identity encodings (7bit, 8bit, binary, or none). */
export const IDENTITY_ENCODINGS = new Set(['', '7bit', '8bit', 'binary']);

/** The decoder for an encoding name (as written in Content-Transfer-Encoding), or null when unknown (RFC 3516 UNKNOWN-CTE). */
export function transferDecoder(encoding: string | null): TransferDecoder | null {
  const e = (encoding ?? '').trim().toLowerCase();
  if (IDENTITY_ENCODINGS.has(e)) return { push: (c) => c, end: () => Buffer.alloc(0) };
  if (e === 'base64') return new Base64Decoder();
  if (e === 'quoted-printable') return new QuotedPrintableDecoder();
  return null;
}

const B64 = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

/**
 * base64 with `=` ending a quantum: a padded segment followed by more base64 (concatenated
 * encodings) decodes segment by segment. Characters outside the alphabet are skipped.
 */
export class Base64Decoder implements TransferDecoder {
  #bits = 0;
  #n = 0;

  push(chunk: Buffer): Buffer {
    const out = Buffer.allocUnsafe(Math.ceil((chunk.length * 3) / 4) + 3);
    let o = 0;
    let bits = this.#bits;
    let n = this.#n;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      const v = B64[c]!;
      if (v >= 0) {
        bits = (bits << 6) | v;
        if (++n === 4) {
          out[o++] = (bits >> 16) & 0xff;
          out[o++] = (bits >> 8) & 0xff;
          out[o++] = bits & 0xff;
          bits = 0;
          n = 0;
        }
      } else if (c === 0x3d && n > 0) {
        // Padding: emit what the quantum holds, then start a new one.
        if (n === 2) out[o++] = (bits >> 4) & 0xff;
        else if (n === 3) {
          out[o++] = (bits >> 10) & 0xff;
          out[o++] = (bits >> 2) & 0xff;
        }
        bits = 0;
        n = 0;
      }
    }
    this.#bits = bits;
    this.#n = n;
    return out.subarray(0, o);
  }

  end(): Buffer {
    const out: number[] = [];
    if (this.#n === 2) out.push((this.#bits >> 4) & 0xff);
    else if (this.#n === 3) out.push((this.#bits >> 10) & 0xff, (this.#bits >> 2) & 0xff);
    this.#bits = 0;
    this.#n = 0;
    return Buffer.from(out);
  }
}

const SP = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const EQ = 0x3d;


/**
 * quoted-printable (RFC 2045 6.7): `=XX` is a byte; `=` at the end of a line (after trailing
 * white space is dropped, rule 3) is a soft line break; trailing white space on a line is
 * transport padding and dropped; any other `=` is kept. Line ends come out as CRLF.
 */
export class QuotedPrintableDecoder implements TransferDecoder {
  /** A "=" or "=X" at the end of the input so far, which the next bytes may complete. */
  #eq: Buffer = EMPTY;
  /**
   * White space (and CR) at the end of the input so far: padding if a line end follows, text if
   * anything else does. Kept as a list, so a megabyte-long run is never copied again and again.
   */
  #ws: Buffer[] = [];

  push(chunk: Buffer): Buffer {
    const parts: Buffer[] = [];
    let data = chunk;
    if (this.#ws.length > 0) {
      let i = 0;
      while (i < chunk.length && isPad(chunk[i])) i++;
      if (i === chunk.length) {
        if (chunk.length > 0) this.#ws.push(Buffer.from(chunk));
        return EMPTY;
      }
      // A line end after the run makes it padding ("=" before it: a soft line break); anything else makes it text.
      if (chunk[i] === LF) {
        if (this.#eq.length === 0) parts.push(CRLF_BYTES);
        data = chunk.subarray(i + 1);
      } else {
        parts.push(this.#eq);
        for (const w of this.#ws) parts.push(w);
        parts.push(chunk.subarray(0, i));
        data = chunk.subarray(i);
      }
      this.#eq = EMPTY;
      this.#ws = [];
    } else if (this.#eq.length > 0) {
      data = Buffer.concat([this.#eq, chunk]);
      this.#eq = EMPTY;
    }
    let pos = 0;
    for (let lf = data.indexOf(LF); lf >= 0; lf = data.indexOf(LF, pos)) {
      parts.push(decodeLine(data, pos, lf, true));
      pos = lf + 1;
    }
    // The unfinished line: hold back what the next bytes can still change: trailing white
    // space or CR, and a "=" just before it (or a "=" or "=X" at the very end).
    let wsStart = data.length;
    while (wsStart > pos && isPad(data[wsStart - 1])) wsStart--;
    let eqStart = wsStart;
    if (eqStart - 1 >= pos && data[eqStart - 1] === EQ) eqStart -= 1;
    else if (wsStart === data.length && eqStart - 2 >= pos && data[eqStart - 2] === EQ) eqStart -= 2;
    if (eqStart > pos) parts.push(decodeLine(data, pos, eqStart, false));
    this.#eq = Buffer.from(data.subarray(eqStart, wsStart));
    if (wsStart < data.length) this.#ws.push(Buffer.from(data.subarray(wsStart)));
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  end(): Buffer {
    // At the end of input the last line's trailing white space is padding too; "=" is a soft break.
    const eq = this.#eq;
    this.#eq = EMPTY;
    this.#ws = [];
    return decodeLine(eq, 0, eq.length, false, true);
  }
}

const EMPTY = Buffer.alloc(0);
const CRLF_BYTES = Buffer.from('\r\n');

function isPad(c: number | undefined): boolean {
  return c === SP || c === TAB || c === CR;
}

/**
 * Decodes data[start, end) of one line. `lineEnd`: a line end followed (CRLF is written unless
 * the line ends in a soft break). `final`: this is the last of the input (trailing "=" dropped).
 */
function decodeLine(data: Buffer, start: number, end: number, lineEnd: boolean, final = false): Buffer {
  let e = end;
  // Trailing white space is transport padding (RFC 2045 6.7 rule 3); a CR before the LF goes with it.
  if (lineEnd || final) while (e > start && isPad(data[e - 1])) e--;
  let soft = false;
  if ((lineEnd || final) && e > start && data[e - 1] === EQ) {
    soft = true;
    e--;
  }
  const out = Buffer.allocUnsafe(e - start + 2);
  // Up to the first "=" (searched within the line only) the bytes are copied as they are.
  const eq = data.subarray(start, e).indexOf(EQ);
  let o = data.copy(out, 0, start, eq < 0 ? e : start + eq);
  for (let i = start + o; i < e; i++) {
    const c = data[i]!;
    if (c === EQ) {
      const h = i + 2 < e ? hexValue(data[i + 1]) : -1;
      const l = i + 2 < e ? hexValue(data[i + 2]) : -1;
      if (h >= 0 && l >= 0) {
        out[o++] = h * 16 + l;
        i += 2;
        continue;
      }
    }
    out[o++] = c;
  }
  if (lineEnd && !soft) {
    out[o++] = CR;
    out[o++] = LF;
  }
  return out.subarray(0, o);
}

/** Decodes a whole buffer. */
export function decodeTransfer(data: Buffer, decoder: TransferDecoder): Buffer {
  const a = decoder.push(data);
  const b = decoder.end();
  return b.length === 0 ? a : Buffer.concat([a, b]);
}

/** The decoded size of a whole buffer (what BINARY.SIZE reports), without keeping the output. */
export function decodedLength(data: Buffer, decoder: TransferDecoder): number {
  let total = 0;
  const step = 1 << 20;
  for (let i = 0; i < data.length; i += step) total += decoder.push(data.subarray(i, i + step)).length;
  return total + decoder.end().length;
}

/** A Transform stream around a decoder. */
export function createDecodeStream(decoder: TransferDecoder): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      const out = decoder.push(chunk);
      cb(null, out.length > 0 ? out : undefined);
    },
    flush(cb: TransformCallback) {
      const out = decoder.end();
      cb(null, out.length > 0 ? out : undefined);
    },
  });
}
