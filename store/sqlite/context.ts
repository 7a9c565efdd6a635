import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { BlobStore, ChangeEvent, MessageTextExtractor, Notifier } from '../../domain/index.js';
import type { SqliteDb } from './db.js';
import type { Vocabulary } from './search/vocabulary.js';
import type { WalSync } from './wal-sync.js';

/** What every part of the SQLite store is built from (no module-level handles). */
export interface StoreContext {
  db: SqliteDb;
  blobs: BlobStore;
  notifier: Notifier;
  logger?: Logger;
  now(): number;
  /** See SqliteStoreOptions.freshBlobMs. */
  freshBlobMs: number;
  vocabulary: Vocabulary;
  /** See SqliteStoreOptions.textExtractor. */
  textExtractor?: MessageTextExtractor;
  /** One-time warnings already logged (by name). */
  warned: Set<string>;
  /** fdatasync of the WAL after group commits (wal-sync.ts). */
  wal: WalSync;
}

/** Side effects a write transaction queues for after its commit. */
export interface WriteEffects {
  events: ChangeEvent[];
  /** Blob ids whose refcount reached 0 inside the transaction. */
  freedBlobs: string[];
  /** Blob ids referenced for the first time (or again after being freed). */
  newBlobs?: string[];
  /** In-memory state to update once this write is committed (never for a rolled-back one). */
  afterCommit?: Array<() => void>;
  /**
   * Full-text rows of the group commit, by content id, written together at the end of its
   * transaction (search/index-text.ts). Absent outside runWrite: rows are written at once.
   */
  groupIndex?: Map<number, () => void>;
  /** Undoes this write's changes to groupIndex if its savepoint is rolled back. */
  undo?: Array<() => void>;
}

interface PendingWrite {
  fn: (fx: WriteEffects) => unknown;
  fx: WriteEffects;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Writes waiting for the next group commit, per database handle. */
const pendingWrites = new WeakMap<SqliteDb, PendingWrite[]>();

/**
 * Runs `fn` in an IMMEDIATE transaction (one writer; no upgrade deadlocks), then, only after the
 * commit, publishes the change events and deletes unreferenced blobs. A rollback leaves both
 * untouched, so subscribers never hear of a change that did not happen.
 *
 * Group commit: writes that arrive while the event loop is busy are committed together, each
 * inside its own savepoint (a failing one rolls back alone), so N concurrent deliveries cost one
 * fsync of the WAL instead of N. The fsync runs off the event loop (wal-sync.ts); nobody's
 * promise resolves, and no event is published, before the batch is on disk.
 */
export function runWrite<T>(ctx: StoreContext, fn: (fx: WriteEffects) => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let queue = pendingWrites.get(ctx.db);
    if (!queue) {
      queue = [];
      pendingWrites.set(ctx.db, queue);
    }
    queue.push({ fn, fx: { events: [], freedBlobs: [] }, resolve: resolve as (v: unknown) => void, reject });
    if (queue.length === 1) setImmediate(() => void flushWrites(ctx));
  });
}

const MAX_GROUP = 256;

async function flushWrites(ctx: StoreContext): Promise<void> {
  const queue = pendingWrites.get(ctx.db);
  if (!queue || queue.length === 0) return;
  const batch = queue.splice(0, MAX_GROUP);
  if (queue.length > 0) setImmediate(() => void flushWrites(ctx));
  const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
  // FTS5 flushes its pending rows into a new segment (and merges) at every savepoint or statement
  // journal opened after a write to it, so rows inserted write by write cost one flush each,
  // which grows with the index (20 msgs/s past ~65k messages). Inserted together after the
  // savepoints, the group's rows are flushed once, at COMMIT.
  const groupIndex = new Map<number, () => void>();
  // The COMMIT leaves the fsync to ctx.wal (below); nothing else runs on this connection
  // meanwhile. A handle set to synchronous=OFF (bulk fills in benches) is left as it is.
  const level = ctx.db.pragma('synchronous', { simple: true }) as number;
  const syncing = level !== 0;
  try {
    if (syncing) ctx.db.pragma('synchronous = NORMAL');
    ctx.db
      .transaction(() => {
        for (const w of batch) {
          w.fx.groupIndex = groupIndex;
          try {
            // A nested better-sqlite3 transaction is a SAVEPOINT: on throw only this write is undone.
            outcomes.push({ ok: true, value: ctx.db.transaction(() => w.fn(w.fx))() });
          } catch (err) {
            for (const u of (w.fx.undo ?? []).reverse()) u();
            w.fx.events.length = 0;
            w.fx.freedBlobs.length = 0;
            if (w.fx.newBlobs) w.fx.newBlobs.length = 0;
            if (w.fx.afterCommit) w.fx.afterCommit.length = 0;
            outcomes.push({ ok: false, err });
          }
          delete w.fx.undo;
        }
        for (const insert of groupIndex.values()) insert();
      })
      .immediate();
  } catch (err) {
    for (const w of batch) w.reject(err);
    return;
  } finally {
    if (syncing) ctx.db.pragma(`synchronous = ${level}`);
  }
  try {
    if (syncing) await ctx.wal.durable();
  } catch (err) {
    // Committed but perhaps not on disk: nobody may be told it is.
    ctx.logger?.error({ err }, 'WAL fsync failed');
    for (const w of batch) w.reject(err);
    return;
  }
  for (const w of batch) for (const f of w.fx.afterCommit ?? []) f();
  const events = batch.flatMap((w) => w.fx.events);
  if (events.length > 0) {
    try {
      ctx.notifier.publish(events);
    } catch (err) {
      ctx.logger?.error({ err }, 'change notification failed');
    }
  }
  const freed = batch.flatMap((w) => w.fx.freedBlobs);
  const fresh = batch.flatMap((w) => w.fx.newBlobs ?? []);
  try {
    if (freed.length > 0) await deleteFreedBlobs(ctx, freed);
    if (fresh.length > 0) await checkNewBlobs(ctx, fresh);
  } finally {
    batch.forEach((w, i) => {
      const o = outcomes[i]!;
      if (o.ok) w.resolve(o.value);
      else w.reject(o.err);
    });
  }
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
