import { createReadStream } from 'node:fs';

/** One message cut out of an mbox file, the "From " separator line apart. */
export interface MboxEntry {
  /** The message bytes, ">From " unescaped (mboxrd). */
  raw: Buffer;
  /** The separator line without "From " and the line end: "sender date". */
  separator: string;
  /** Byte offset of the separator line in the file. */
  offset: number;
}

/** A message longer than the cap: its bytes were skipped, not kept. */
export interface MboxOversize {
  oversize: true;
  offset: number;
  size: number;
}

const NL = 0x0a;
const CR = 0x0d;
const GT = 0x3e;
const SEPARATOR = Buffer.from('\nFrom ');
/** A separator line longer than this is body text, not a separator. */
const MAX_SEPARATOR_LINE = 4096;

/**
 * mboxrd: a body line ">From ", ">>From "... lost one ">" when it was written. Unescaping every
 * such line is also right for mboxo files, save for lines that were ">From " to begin with.
 */
export function unescapeFrom(msg: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  for (let i = msg[0] === GT ? 0 : msg.indexOf('\n>'); i !== -1; i = msg.indexOf('\n>', i + 1)) {
    const lineStart = msg[i] === NL ? i + 1 : i;
    let j = lineStart;
    while (msg[j] === GT) j++;
    if (msg.toString('latin1', j, j + 5) === 'From ') {
      parts.push(msg.subarray(pos, lineStart));
      pos = lineStart + 1;
    }
  }
  if (pos === 0) return msg;
  parts.push(msg.subarray(pos));
  return Buffer.concat(parts);
}

/**
 * Streams an mbox file (RFC 4155) message by message. Memory holds one message (up to
 * `maxMessageSize`) and one read chunk, whatever the file's size: a larger message is skipped
 * while streaming and reported as oversize. A separator is a "From " line at the start of the
 * file or after an empty line; a file that does not start with one is read as one message.
 */
export async function* readMbox(
  path: string,
  opts: { maxMessageSize: number; onBytes?: (position: number) => void; chunkSize?: number },
): AsyncGenerator<MboxEntry | MboxOversize> {
  let parts: Buffer[] = [];
  let size = 0;
  let oversize = false;
  let separator: string | null = null;
  let offset = 0;
  /** The last three bytes of the current message, for the empty-line test across chunks. */
  let tail = Buffer.alloc(0);
  let carry = Buffer.alloc(0);
  let base = 0;

  const append = (bytes: Buffer): void => {
    if (bytes.length === 0) return;
    size += bytes.length;
    tail = Buffer.from(bytes.length >= 3 ? bytes.subarray(bytes.length - 3) : Buffer.concat([tail, bytes]).subarray(-3));
    if (oversize) return;
    if (size > opts.maxMessageSize) {
      oversize = true;
      parts = [];
    } else parts.push(Buffer.from(bytes));
  };
  /** Whether the current message ends with an empty line (so "From " after it separates). */
  const endsBlank = (): boolean => {
    if (size === 0) return true;
    const t = tail.toString('latin1');
    return t.endsWith('\n\n') || t.endsWith('\n\r\n');
  };
  function* finish(): Generator<MboxEntry | MboxOversize> {
    if (separator !== null || size > 0) {
      // The empty line before a separator belongs to the file format, not to the message.
      if (oversize) yield { oversize: true, offset, size };
      else yield { raw: unescapeFrom(stripSeparatorBlank(Buffer.concat(parts))), separator: separator ?? '', offset };
    }
    parts = [];
    size = 0;
    oversize = false;
    tail = Buffer.alloc(0);
  }

  /** Whether the carried bytes begin a line (the file's start does). */
  let carryAtLineStart = true;
  for await (const chunk of createReadStream(path, { highWaterMark: opts.chunkSize ?? 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const lineAt0: boolean = carryAtLineStart;
    let pos = 0;
    let keep: number;
    for (;;) {
      const at0 = pos === 0 && lineAt0 && buf.toString('latin1', 0, 5) === 'From ';
      const hit = at0 ? -1 : buf.indexOf(SEPARATOR, pos === 0 ? 0 : pos - 1);
      const lineStart = at0 ? 0 : hit === -1 ? -1 : hit + 1;
      if (lineStart === -1) {
        // A separator could begin in the last bytes: keep them for the next chunk.
        keep = Math.max(pos, buf.length - SEPARATOR.length);
        break;
      }
      const lineEnd = buf.indexOf(NL, lineStart);
      if (lineEnd === -1 && buf.length - lineStart < MAX_SEPARATOR_LINE) {
        // The candidate line goes on in the next chunk: decide there.
        keep = lineStart;
        break;
      }
      append(buf.subarray(pos, lineStart));
      if (lineEnd !== -1 && lineEnd - lineStart < MAX_SEPARATOR_LINE && endsBlank()) {
        yield* finish();
        separator = buf.toString('latin1', lineStart + 5, buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd);
        offset = base + lineStart;
        pos = lineEnd + 1;
      } else {
        // Not a separator: the line is body text.
        const next = buf.indexOf(NL, lineStart);
        if (next === -1) {
          keep = Math.max(lineStart, buf.length - SEPARATOR.length);
          pos = lineStart;
          break;
        }
        append(buf.subarray(lineStart, next));
        pos = next;
      }
    }
    append(buf.subarray(pos, keep));
    carryAtLineStart = keep === 0 ? lineAt0 : buf[keep - 1] === NL;
    carry = Buffer.from(buf.subarray(keep));
    base += keep;
    opts.onBytes?.(base);
  }
  append(carry);
  base += carry.length;
  yield* finish();
  opts.onBytes?.(base);
}

/** Drops the one empty line that ends each message in an mbox (it separates, RFC 4155). */
function stripSeparatorBlank(msg: Buffer): Buffer {
  if (msg.length >= 2 && msg[msg.length - 1] === NL && msg[msg.length - 2] === NL) return msg.subarray(0, msg.length - 1);
  if (msg.length >= 4 && msg.toString('latin1', msg.length - 4) === '\r\n\r\n') return msg.subarray(0, msg.length - 2);
  return msg;
}
