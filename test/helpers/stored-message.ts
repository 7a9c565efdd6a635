import type { BlobStore, ContentSegment, PreparedMessage } from '../../domain/index.js';
import { readContent } from '../../mail/mime/index.js';

/** A prepared message's header block as written (folds kept, CRLF, no blank line). */
export function preparedHeader(m: PreparedMessage): string {
  const inline = Buffer.concat(m.content.filter((s): s is { data: Buffer } => 'data' in s).map((s) => s.data));
  return inline.subarray(0, m.structure.bodyStart).toString('utf8').replace(/\r\n\r\n$/, '\r\n');
}

/** A stored message's exact bytes. */
export async function storedBytes(content: readonly ContentSegment[], blobs: BlobStore): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of readContent(content, blobs)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
