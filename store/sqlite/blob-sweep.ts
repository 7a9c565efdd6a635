import type { Logger } from 'pino';
import { DEFAULT_BLOB_SWEEP_GRACE_MS, type BlobSweep } from '../../domain/index.js';
import type { FsBlobStore } from '../blobs/fs-blob-store.js';
import type { SqliteDb } from './db.js';

/**
 * The BlobSweep of the SQLite backend: blob files (mtime = last put) against the refcounted
 * `blobs` table of the mail area. The codec writes parts before the filters decide, so a
 * rejected or tempfailed message leaves its attachments behind; freed blobs of expunged
 * messages go at once (context.ts); this catches the rest.
 */
export function createSqliteBlobSweep(db: SqliteDb, blobs: FsBlobStore, logger?: Logger): BlobSweep {
  return {
    async sweep(opts = {}) {
      const grace = opts.graceMs ?? DEFAULT_BLOB_SWEEP_GRACE_MS;
      const referenced = db.prepare('SELECT 1 FROM blobs WHERE id = ? AND refcount > 0').pluck();
      let scanned = 0;
      let deleted = 0;
      for await (const id of blobs.listIdle(grace, opts.now)) {
        scanned++;
        if (referenced.get(id) !== undefined) continue;
        try {
          await blobs.delete(id);
          deleted++;
        } catch (err) {
          logger?.warn({ err, blobId: id }, 'unreferenced blob delete failed');
        }
      }
      if (deleted > 0) logger?.info({ scanned, deleted }, 'unreferenced blobs swept');
      return { scanned, deleted };
    },
  };
}
