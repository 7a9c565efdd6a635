import { Readable } from 'node:stream';
import type { BlobStore } from '../../domain/index.js';
import type { Segment } from './mime-segments.js';

export interface ByteRange {
  /** First byte to return (RFC 3501 partial origin). */
  start?: number;
  /** Bytes to return at most; undefined or 0 means to the end. */
  maxLength?: number;
}

export interface StreamOptions {
  /** Told when a referenced blob is missing; the bytes are then left out. */
  onMissingBlob?: (blobId: string) => void;
}

async function* pull(
  segments: readonly Segment[],
  blobs: BlobStore,
  from: number,
  to: number,
  opts: StreamOptions,
): AsyncGenerator<Buffer> {
  let pos = 0;
  for (const seg of segments) {
    if (pos >= to) return;
    const len = Buffer.isBuffer(seg) ? seg.length : seg.size;
    const segStart = pos;
    pos += len;
    if (pos <= from) continue;
    const a = Math.max(0, from - segStart);
    const b = Math.min(len, to - segStart);
    if (b <= a) continue;
    if (Buffer.isBuffer(seg)) {
      yield a === 0 && b === len ? seg : seg.subarray(a, b);
      continue;
    }
    // Blob bodies are read in the stream's own chunks, so a 30 MB attachment never sits in memory.
    try {
      for await (const chunk of blobs.createReadStream(seg.blobId, { start: (seg.offset ?? 0) + a, end: (seg.offset ?? 0) + b })) {
        yield chunk as Buffer;
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        opts.onMissingBlob?.(seg.blobId);
        continue;
      }
      throw err;
    }
  }
}

/**
 * A pull-based stream of the segments' bytes in [start, start+maxLength). Readable.from only
 * asks the generator for more when the consumer has read, so socket backpressure reaches the
 * blob reads (imap-core's own rebuild does not wait for 'drain').
 */
export function streamSegments(
  segments: readonly Segment[],
  blobs: BlobStore,
  total: number,
  range: ByteRange = {},
  opts: StreamOptions = {},
): Readable {
  const from = Math.min(Math.max(range.start ?? 0, 0), total);
  const to = range.maxLength ? Math.min(total, from + range.maxLength) : total;
  return Readable.from(pull(segments, blobs, from, to, opts), { objectMode: false, highWaterMark: 64 * 1024 });
}
