import { Readable } from 'node:stream';
import type { BlobStore, ContentSegment } from '../../domain/index.js';

/** A byte range [start, end) of a stored message; missing ends mean the whole message. */
export interface ByteRange {
  start?: number;
  end?: number;
}

export function segmentsLength(segments: readonly ContentSegment[]): number {
  let n = 0;
  for (const s of segments) n += 'data' in s ? s.data.length : s.size;
  return n;
}

async function* pull(segments: readonly ContentSegment[], blobs: BlobStore, from: number, to: number): AsyncGenerator<Buffer> {
  let pos = 0;
  for (const seg of segments) {
    if (pos >= to) return;
    const len = 'data' in seg ? seg.data.length : seg.size;
    const segStart = pos;
    pos += len;
    if (pos <= from) continue;
    const a = Math.max(0, from - segStart);
    const b = Math.min(len, to - segStart);
    if (b <= a) continue;
    if ('data' in seg) {
      yield a === 0 && b === len ? seg.data : seg.data.subarray(a, b);
      continue;
    }
    // A blob is read in its own stream's chunks, only as fast as the consumer reads.
    let got = 0;
    for await (const chunk of blobs.createReadStream(seg.blobId, { start: a, end: b })) {
      const c = chunk as Buffer;
      got += c.length;
      yield c;
    }
    if (got !== b - a) throw Object.assign(new Error(`blob ${seg.blobId} is shorter than its segment`), { code: 'ESHORT' });
  }
}

/**
 * The exact bytes [start, end) of a stored message as a pull-based stream: a segment (or a
 * blob's next chunk) is read only when the consumer asks, so socket backpressure reaches the blob
 * store and a 30 MB message never sits in memory. A missing blob errors the stream (ENOENT): the
 * length was promised, so silently leaving bytes out would corrupt an IMAP literal.
 */
export function readContent(segments: readonly ContentSegment[], blobs: BlobStore, range: ByteRange = {}): Readable {
  const total = segmentsLength(segments);
  const from = Math.min(Math.max(range.start ?? 0, 0), total);
  const to = Math.max(from, Math.min(range.end ?? total, total));
  return Readable.from(pull(segments, blobs, from, to), { objectMode: false, highWaterMark: 64 * 1024 });
}

/** The bytes [start, end) when they are all inline (headers always are), else null. Synchronous. */
export function sliceInline(segments: readonly ContentSegment[], start: number, end: number): Buffer | null {
  const pieces: Buffer[] = [];
  let pos = 0;
  for (const seg of segments) {
    if (pos >= end) break;
    const len = 'data' in seg ? seg.data.length : seg.size;
    const segStart = pos;
    pos += len;
    if (pos <= start) continue;
    if (!('data' in seg)) return null;
    pieces.push(seg.data.subarray(Math.max(0, start - segStart), Math.min(len, end - segStart)));
  }
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
}

/** Reads a range into memory, at most `limit` bytes of it. */
export async function readBytes(segments: readonly ContentSegment[], blobs: BlobStore, range: ByteRange, limit = Infinity): Promise<Buffer> {
  const start = range.start ?? 0;
  const end = Math.min(range.end ?? Infinity, start + limit);
  const inline = sliceInline(segments, start, Math.min(end, segmentsLength(segments)));
  if (inline) return inline;
  const chunks: Buffer[] = [];
  for await (const c of readContent(segments, blobs, { start, end })) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
