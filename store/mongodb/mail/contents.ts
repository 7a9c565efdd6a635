import { Binary, type ClientSession } from 'mongodb';
import { StoreError, type ContentSegment, type PreparedMessage } from '../../../domain/index.js';
import type { Collections } from '../collections.js';
import type { ContentDoc, StoredSegment } from '../documents.js';
import type { MongoContext, TxEffects } from '../context.js';
import { addBlobRefs, dropBlobRefs } from './blob-refs.js';
import { searchDocument } from './search/text.js';

/** Inline bytes a content document may hold; above it, large inline segments go to the blob store (a document is at most 16 MiB). */
const INLINE_BUDGET = 6 * 1024 * 1024;
const SPILL_MIN = 64 * 1024;
const BLOB_ID = /^[0-9a-f]{64}$/;

export function checkPrepared(msg: PreparedMessage): void {
  if (!msg || typeof msg !== 'object' || !msg.header || typeof msg.header !== 'object') throw new StoreError('invalid', 'invalid message');
  if (!Number.isSafeInteger(msg.size) || msg.size < 0) throw new StoreError('invalid', 'invalid message size');
  if (!Array.isArray(msg.blobIds) || !Array.isArray(msg.attachments) || !Array.isArray(msg.content)) throw new StoreError('invalid', 'invalid message parts');
  if (!msg.structure || typeof msg.structure !== 'object' || !msg.sortKeys || typeof msg.sortKeys !== 'object') {
    throw new StoreError('invalid', 'invalid message structure');
  }
  // The segments must be what they claim: bytes or a well-formed blob id, adding up to the size.
  let total = 0;
  for (const s of msg.content as unknown[]) {
    const seg = s as { data?: unknown; blobId?: unknown; size?: unknown } | null;
    if (seg && Buffer.isBuffer(seg.data)) total += seg.data.length;
    else if (seg && typeof seg.blobId === 'string' && BLOB_ID.test(seg.blobId) && Number.isSafeInteger(seg.size) && (seg.size as number) >= 0) total += seg.size as number;
    else throw new StoreError('invalid', 'invalid message content');
  }
  if (total !== msg.size || !msg.blobIds.every((b) => typeof b === 'string' && BLOB_ID.test(b))) throw new StoreError('invalid', 'invalid message content');
}

/** A content document without its per-user keys, computed once per delivery, outside the transaction. */
export type ContentTemplate = Omit<ContentDoc, '_id' | 'userId' | 'emailId' | 'copies'>;

/**
 * Everything about a message the transaction needs that can be computed before it: segments
 * in BSON (large inline parts moved to the blob store if the document would grow too big) and
 * the search text and terms.
 */
export async function contentTemplate(ctx: MongoContext, msg: PreparedMessage): Promise<ContentTemplate> {
  checkPrepared(msg);
  let inline = msg.content.reduce((n, s) => n + ('data' in s ? s.data.length : 0), 0);
  const blobIds = [...msg.blobIds];
  const segments: StoredSegment[] = [];
  for (const s of msg.content) {
    if ('blobId' in s) {
      segments.push({ b: s.blobId, s: s.size });
    } else if (inline > INLINE_BUDGET && s.data.length >= SPILL_MIN) {
      const { id } = await ctx.blobs.put(s.data);
      blobIds.push(id);
      inline -= s.data.length;
      segments.push({ b: id, s: s.data.length });
    } else {
      segments.push({ d: new Binary(s.data) });
    }
  }
  const search = searchDocument(msg);
  return {
    size: msg.size,
    segments,
    structure: msg.structure,
    envelope: msg.envelope ?? null,
    header: msg.header,
    attachments: msg.attachments,
    snippet: String(msg.snippet ?? '').slice(0, 400),
    blobIds: [...new Set(blobIds)],
    ...search,
  };
}

export function toSegments(stored: StoredSegment[]): ContentSegment[] {
  return stored.map((s) => ('d' in s ? { data: Buffer.from(s.d.buffer) } : { blobId: s.b, size: s.s }));
}

export const contentKey = (userId: string, emailId: string) => `${userId}:${emailId}`;

/** The user's content document for this delivery: made on first use (blob references counted then), one more copy after. */
export async function attachContent(c: Collections, session: ClientSession, userId: string, emailId: string, template: ContentTemplate): Promise<string> {
  const _id = contentKey(userId, emailId);
  const bumped = await c.contents.updateOne({ _id }, { $inc: { copies: 1 } }, { session });
  if (bumped.matchedCount === 0) {
    await c.contents.insertOne({ _id, userId, emailId, copies: 1, ...template }, { session });
    await addBlobRefs(c, session, template.blobIds);
  }
  return _id;
}

/** One copy fewer per listed content id; a content at 0 goes with its blob references (freed blobs to fx). */
export async function releaseContents(c: Collections, session: ClientSession, fx: TxEffects, contentIds: string[]): Promise<void> {
  const counts = new Map<string, number>();
  for (const id of contentIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const [id, n] of counts) {
    const after = await c.contents.findOneAndUpdate({ _id: id }, { $inc: { copies: -n } }, { session, returnDocument: 'after' });
    if (!after || after.copies > 0) continue;
    await c.contents.deleteOne({ _id: id }, { session });
    await dropBlobRefs(c, session, fx, after.blobIds);
  }
}
