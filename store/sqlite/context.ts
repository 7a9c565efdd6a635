import type { Logger } from 'pino';
import type { BlobStore, ChangeEvent, Notifier } from '../../domain/index.js';
import type { SqliteDb } from './db.js';

/** What every part of the SQLite store is built from (no module-level handles). */
export interface StoreContext {
  db: SqliteDb;
  blobs: BlobStore;
  notifier: Notifier;
  logger?: Logger;
  now(): number;
}

/** Side effects a write transaction queues for after its commit. */
export interface WriteEffects {
  events: ChangeEvent[];
  /** Blob ids whose refcount reached 0 inside the transaction. */
  freedBlobs: string[];
}

/**
 * Runs `fn` in one IMMEDIATE transaction (one writer; no upgrade deadlocks), then, only after
 * the commit, publishes the change events and deletes unreferenced blobs. A rollback leaves both
 * untouched, so subscribers never hear of a change that did not happen.
 */
export async function runWrite<T>(ctx: StoreContext, fn: (fx: WriteEffects) => T): Promise<T> {
  const fx: WriteEffects = { events: [], freedBlobs: [] };
  const result = ctx.db.transaction(() => fn(fx)).immediate();
  if (fx.events.length > 0) {
    try {
      ctx.notifier.publish(fx.events);
    } catch (err) {
      ctx.logger?.error({ err }, 'change notification failed');
    }
  }
  if (fx.freedBlobs.length > 0) await deleteFreedBlobs(ctx, fx.freedBlobs);
  return result;
}

async function deleteFreedBlobs(ctx: StoreContext, ids: string[]): Promise<void> {
  const stillReferenced = ctx.db.prepare('SELECT 1 FROM blobs WHERE id = ?').pluck();
  for (const id of new Set(ids)) {
    // A delivery may have referenced the same content again since our commit.
    if (stillReferenced.get(id) !== undefined) continue;
    try {
      await ctx.blobs.delete(id);
    } catch (err) {
      // An orphaned file wastes space but loses nothing; a later sweep can remove it.
      ctx.logger?.warn({ err, blobId: id }, 'blob delete failed');
    }
  }
}

/** Ids are decimal rowids as text; anything else names nothing. */
export function parseId(id: string): number | null {
  if (typeof id !== 'string' || !/^[1-9][0-9]{0,15}$/.test(id)) return null;
  return Number(id);
}
