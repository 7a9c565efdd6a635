import type { SqliteDb } from './db.js';
import type { WriteEffects } from './context.js';
import { cachedStatement } from './context.js';

/** The tables linking an owner (a content, or a format-1 message) to the blobs it references. */
const LINKS = {
  content: { table: 'content_blobs', owner: 'content_id' },
  legacy: { table: 'message_blobs', owner: 'message_id' },
} as const;

/**
 * Drops one reference per link from the owners in `ownerIds` (a JSON array) to their blobs;
 * blobs no owner references any more are deleted and queued in fx.freedBlobs, whose files go
 * after the commit. The link rows themselves are the caller's to delete.
 */
export function releaseBlobRefs(db: SqliteDb, fx: WriteEffects, link: keyof typeof LINKS, ownerIds: string): void {
  const { table, owner } = LINKS[link];
  cachedStatement(
    db,
    `UPDATE blobs SET refcount = refcount - d.c
     FROM (SELECT blob_id, count(*) AS c FROM ${table} WHERE ${owner} IN (SELECT value FROM json_each(?)) GROUP BY blob_id) AS d
     WHERE blobs.id = d.blob_id`,
  ).run(ownerIds);
  fx.freedBlobs.push(...(cachedStatement(db, 'DELETE FROM blobs WHERE refcount <= 0 RETURNING id').pluck().all() as string[]));
}
