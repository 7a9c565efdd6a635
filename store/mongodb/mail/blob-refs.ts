import type { ClientSession } from 'mongodb';
import type { Collections } from '../collections.js';
import type { TxEffects } from '../context.js';

/** Counts one more reference per occurrence (inside the writing transaction). */
export async function addBlobRefs(c: Collections, session: ClientSession, blobIds: string[]): Promise<void> {
  for (const [id, n] of tally(blobIds)) {
    const res = await c.blobs.updateOne({ _id: id }, { $inc: { refcount: n } }, { session });
    // put() always precedes a reference; a missing document means the bytes are gone.
    if (res.matchedCount === 0) throw new Error(`blob ${id} is not in the blob store`);
  }
}

/** Drops references; blobs that reach zero are queued in `fx.freedBlobs` for after the commit. */
export async function dropBlobRefs(c: Collections, session: ClientSession, fx: TxEffects, blobIds: string[]): Promise<void> {
  for (const [id, n] of tally(blobIds)) {
    const doc = await c.blobs.findOneAndUpdate({ _id: id }, { $inc: { refcount: -n } }, { session, returnDocument: 'after' });
    if (doc && doc.refcount <= 0) fx.freedBlobs.push(id);
  }
}

function tally(ids: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
  return m;
}
