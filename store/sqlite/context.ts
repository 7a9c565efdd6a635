import type Database from 'better-sqlite3';
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
  /** See SqliteStoreOptions.freshBlobMs. */
  freshBlobMs: number;
}

/** Side effects a write transaction queues for after its commit. */
export interface WriteEffects {
  events: ChangeEvent[];
  /** Blob ids whose refcount reached 0 inside the transaction. */
  freedBlobs: string[];
  /** Blob ids referenced for the first time (or again after being freed). */
  newBlobs?: string[];
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
  if (fx.newBlobs && fx.newBlobs.length > 0) await checkNewBlobs(ctx, fx.newBlobs);
  return result;
}

/**
 * Should never fire: freed blobs touched by a recent put() are not deleted (deleteFreedBlobs).
 * If a file is missing anyway (disk trouble, manual deletion) it says so at once instead of
 * failing a FETCH much later.
 */
async function checkNewBlobs(ctx: StoreContext, ids: string[]): Promise<void> {
  for (const id of new Set(ids)) {
    try {
      if (!(await ctx.blobs.has(id))) ctx.logger?.error({ blobId: id }, 'message references a blob that is missing from the blob store');
    } catch (err) {
      ctx.logger?.warn({ err, blobId: id }, 'blob check failed');
    }
  }
}

async function deleteFreedBlobs(ctx: StoreContext, ids: string[]): Promise<void> {
  const stillReferenced = ctx.db.prepare('SELECT 1 FROM blobs WHERE id = ?').pluck();
  for (const id of new Set(ids)) {
    // A delivery may have referenced the same content again since our commit.
    if (stillReferenced.get(id) !== undefined) continue;
    try {
      // Content put() within the last minutes may belong to a message about to be delivered;
      // such a blob is left for the unreferenced-blob sweep (blob-sweep.ts) instead.
      await ctx.blobs.delete(id, { ifIdleFor: ctx.freshBlobMs });
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

type Statement = Database.Statement<unknown[]>;
// Keyed by handle (not a handle itself): preparing costs more than running a small statement,
// and the hot paths (journal rows, UID allocation, inserts) run once per message.
const statementCache = new WeakMap<SqliteDb, Map<string, Statement>>();

/** A prepared statement reused per database handle. Callers must not toggle pluck/raw on it inconsistently. */
export function cachedStatement(db: SqliteDb, sql: string): Statement {
  let perDb = statementCache.get(db);
  if (!perDb) {
    perDb = new Map();
    statementCache.set(db, perDb);
  }
  let st = perDb.get(sql);
  if (!st) {
    st = db.prepare(sql);
    perDb.set(sql, st);
  }
  return st;
}
