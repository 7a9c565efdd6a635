import { ObjectId, type ClientSession, type Db, type MongoClient, type TransactionOptions } from 'mongodb';
import type { Logger } from 'pino';
import { StoreError, type ChangeEvent, type Notifier } from '../../domain/index.js';
import type { Collections } from './collections.js';
import type { MongoBlobStore } from './blobs.js';
import type { KeyedLock } from './keyed-lock.js';

/** What every part of the MongoDB store is built from (no module-level handles). */
export interface MongoContext {
  client: MongoClient;
  db: Db;
  c: Collections;
  blobs: MongoBlobStore;
  notifier: Notifier;
  logger?: Logger;
  now(): number;
  /** A freed blob put() within this window is left for the sweep (see SqliteStoreOptions.freshBlobMs). */
  freshBlobMs: number;
  /** Serialises this process's writes per mailbox (keyed-lock.ts). */
  lock: KeyedLock;
}

/** Side effects a transaction queues for after its commit. */
export interface TxEffects {
  events: ChangeEvent[];
  /** Blob ids whose refcount reached 0 inside the transaction. */
  freedBlobs: string[];
}

/**
 * Durability: a write is acknowledged only once a majority of the replica set has it in its
 * journal, so a failover never loses an acknowledged message. Snapshot reads inside a
 * transaction see one consistent state.
 */
const TXN: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority', journal: true },
  readPreference: 'primary',
};

/**
 * Runs `fn` in a transaction (retried by the driver on transient errors and write conflicts;
 * `fn` must await every operation and pass `session`), then, only after the commit, publishes
 * the change events and releases freed blobs. An aborted transaction publishes nothing.
 */
export async function runTransaction<T>(ctx: MongoContext, fn: (session: ClientSession, fx: TxEffects) => Promise<T>): Promise<T> {
  const session = ctx.client.startSession();
  let fx: TxEffects = { events: [], freedBlobs: [] };
  let result: T;
  try {
    result = await session.withTransaction(async () => {
      fx = { events: [], freedBlobs: [] };
      return fn(session, fx);
    }, TXN);
  } catch (err) {
    throw mapDuplicate(err);
  } finally {
    await session.endSession();
  }
  await afterCommit(ctx, fx);
  return result;
}

async function afterCommit(ctx: MongoContext, fx: TxEffects): Promise<void> {
  if (fx.events.length > 0) {
    try {
      ctx.notifier.publish(fx.events);
    } catch (err) {
      ctx.logger?.error({ err }, 'change notification failed');
    }
  }
  if (fx.freedBlobs.length > 0) {
    // A failure here loses nothing: the orphan is swept later.
    await ctx.blobs.releaseFreed([...new Set(fx.freedBlobs)], ctx.freshBlobMs).catch((err: unknown) => ctx.logger?.warn({ err }, 'blob release failed'));
  }
}

/** A fresh id: ObjectId hex (time-ordered, unique across nodes without coordination). */
export function newId(): string {
  return new ObjectId().toHexString();
}

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}

/** A unique index refused the write: the port's `already_exists`. */
export function mapDuplicate(err: unknown): unknown {
  return isDuplicateKey(err) ? new StoreError('already_exists', 'already exists') : err;
}
