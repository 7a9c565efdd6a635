import type { BlobStore, ContentSegment, StoredMessageView } from '../../../domain/index.js';
import { decodeStructure } from '../compact-json.js';
import { decodeContent, unpackHead } from '../content-codec.js';
import { cachedStatement } from '../context.js';
import type { SqliteDb } from '../db.js';

/** Bytes [start, end) of a segment list, blob parts read in ranges. */
export async function readSegments(segments: readonly ContentSegment[], blobs: BlobStore, start: number, end: number): Promise<Buffer> {
  const out: Buffer[] = [];
  let pos = 0;
  for (const s of segments) {
    const len = 'data' in s ? s.data.length : s.size;
    const a = Math.max(start - pos, 0);
    const b = Math.min(end - pos, len);
    pos += len;
    if (b <= a) continue;
    if ('data' in s) {
      out.push(s.data.subarray(a, b));
      continue;
    }
    for await (const chunk of blobs.createReadStream(s.blobId, { start: a, end: b })) out.push(chunk as Buffer);
  }
  return out.length === 1 ? out[0]! : Buffer.concat(out);
}

interface HeadRow {
  size: number;
  structure: string;
  layout: string | null;
  packing: number;
  head: Buffer;
}

/**
 * A stored content as the text extractor reads it. The header block comes from its own column;
 * the rest is inflated only if the extractor reads past it (HEADER verification never does).
 */
export function storedView(db: SqliteDb, blobs: BlobStore, contentId: number): StoredMessageView | null {
  const row = cachedStatement(
    db,
    'SELECT c.size, c.structure, c.layout, c.packing, b.head FROM contents c JOIN content_bytes b ON b.content_id = c.id WHERE c.id = ?',
  ).get(contentId) as HeadRow | undefined;
  if (!row) return null;
  let head: Buffer | null = null;
  let segments: ContentSegment[] | null = null;
  return {
    size: row.size,
    structure: decodeStructure(row.structure),
    async read(start, end) {
      head ??= unpackHead(row.head, row.packing);
      if (end <= head.length) return head.subarray(Math.max(0, start), end);
      if (!segments) {
        const body = cachedStatement(db, 'SELECT body FROM content_bytes WHERE content_id = ?').pluck().get(contentId) as Buffer;
        segments = decodeContent(row.head, body, row.layout, row.packing);
      }
      return readSegments(segments, blobs, Math.max(0, start), Math.min(end, row.size));
    },
  };
}
