import type { Logger } from 'pino';
import type { FsBlobStore } from '../blobs/fs-blob-store.js';
import type { SqliteDb } from './db.js';

export interface BlobSweepOptions {
  db: SqliteDb;
  blobs: FsBlobStore;
  logger?: Logger;
  /** A blob idle this long with no reference is garbage. Longer than any prepare -> deliver gap. */
  graceMs?: number;
}

const DEFAULT_GRACE_MS = 6 * 3_600_000;

/**
 * Deletes blob files no message references: the codec writes parts before the filters decide,
 * so a rejected or tempfailed message leaves its attachments behind. Freed blobs of expunged
 * messages go at once (context.ts); this catches the rest.
 */
export async function sweepUnreferencedBlobs(opts: BlobSweepOptions): Promise<{ scanned: number; deleted: number }> {
  const grace = opts.graceMs ?? DEFAULT_GRACE_MS;
  const referenced = opts.db.prepare('SELECT 1 FROM blobs WHERE id = ?').pluck();
  let scanned = 0;
  let deleted = 0;
  for await (const id of opts.blobs.listIdle(grace)) {
    scanned++;
    if (referenced.get(id) !== undefined) continue;
    try {
      await opts.blobs.delete(id);
      deleted++;
    } catch (err) {
      opts.logger?.warn({ err, blobId: id }, 'unreferenced blob delete failed');
    }
  }
  if (deleted > 0) opts.logger?.info({ scanned, deleted }, 'unreferenced blobs swept');
  return { scanned, deleted };
}

/** Runs the sweep every `intervalMs` (timer unref'd: it never keeps the process alive). */
export function startBlobSweeper(opts: BlobSweepOptions & { intervalMs?: number }): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepUnreferencedBlobs(opts)
      .catch((err: unknown) => opts.logger?.error({ err }, 'blob sweep failed'))
      .finally(() => {
        running = false;
      });
  }, opts.intervalMs ?? 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
