import type { Readable } from 'node:stream';
import type { BlobStore, ContentSegment, MimePart } from '../../domain/index.js';
import { readContent } from './read-content.js';
import { createDecodeStream, transferDecoder } from './transfer-decode.js';

/** The part's Content-Transfer-Encoding is not one Heron can decode (RFC 3516: UNKNOWN-CTE). */
export class UnknownEncodingError extends Error {
  readonly code = 'UNKNOWN-CTE';
  constructor(readonly encoding: string) {
    super(`unknown Content-Transfer-Encoding: ${encoding}`);
    this.name = 'UnknownEncodingError';
  }
}

/**
 * The decoded body of one part as a stream (attachment download, IMAP BINARY). Throws
 * UnknownEncodingError before anything is read when the encoding is unknown.
 */
export function decodePart(content: readonly ContentSegment[], blobs: BlobStore, part: MimePart): Readable {
  const decoder = transferDecoder(part.encoding);
  if (!decoder) throw new UnknownEncodingError(part.encoding ?? '');
  const raw = readContent(content, blobs, { start: part.bodyStart, end: part.bodyEnd });
  const out = createDecodeStream(decoder);
  raw.on('error', (err) => out.destroy(err));
  return raw.pipe(out);
}

/** The decoded size of one part (BINARY.SIZE), by decoding it. */
export async function decodedPartSize(content: readonly ContentSegment[], blobs: BlobStore, part: MimePart): Promise<number> {
  let n = 0;
  for await (const c of decodePart(content, blobs, part)) n += (c as Buffer).length;
  return n;
}
