import type { Logger } from 'pino';
import type { Notifier, Store } from '../../domain/index.js';
import { connectMongo } from './client.js';
import { collections } from './collections.js';
import { ensureIndexes } from './indexes.js';
import type { MongoContext } from './context.js';
import { createKeyedLock } from './keyed-lock.js';
import { createMongoBlobStore, createMongoBlobSweep } from './blobs.js';
import { createMongoUserStore } from './users.js';
import { createMongoMailStore } from './mail/index.js';
import { createMongoAccountStore } from './accounts/index.js';
import { createMongoQueueStore } from './queue.js';
import { createMongoVacationLog } from './vacation-log.js';
import { createMongoDkimKeyStore, createMongoSecretStore } from './keys.js';

/** Longer than any prepare -> deliver gap (filters time out well before). */
const DEFAULT_FRESH_BLOB_MS = 15 * 60_000;

export interface MongoBackendOptions {
  /** A replica set (transactions need one): mongodb://h1,h2,h3/heron?replicaSet=rs0 */
  uri: string;
  notifier: Notifier;
  logger?: Logger;
  /** See SqliteStoreOptions.freshBlobMs (0 in tests that check freed blobs go at once). */
  freshBlobMs?: number;
  now?: () => number;
}

export interface MongoBackend extends Store {
  readonly kind: 'mongodb';
}

/** Every port of the Store on one MongoDB database, blobs in GridFS; indexes are made at start. */
export async function openMongoBackend(opts: MongoBackendOptions): Promise<MongoBackend> {
  const { client, db } = await connectMongo(opts.uri);
  try {
    await ensureIndexes(db);
  } catch (err) {
    await client.close();
    throw err;
  }
  const c = collections(db);
  const blobs = createMongoBlobStore(db, c, opts.logger);
  const ctx: MongoContext = {
    client,
    db,
    c,
    blobs,
    notifier: opts.notifier,
    now: opts.now ?? Date.now,
    freshBlobMs: opts.freshBlobMs ?? DEFAULT_FRESH_BLOB_MS,
    lock: createKeyedLock(),
    ...(opts.logger ? { logger: opts.logger } : {}),
  };
  let closed = false;
  return {
    kind: 'mongodb',
    users: createMongoUserStore(ctx),
    mail: createMongoMailStore(ctx),
    accounts: createMongoAccountStore(ctx),
    queue: createMongoQueueStore(ctx),
    vacation: createMongoVacationLog(c),
    blobs,
    blobSweep: createMongoBlobSweep(db, c, blobs, opts.logger),
    keys: createMongoDkimKeyStore(c),
    secrets: createMongoSecretStore(c),
    notifier: opts.notifier,
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
      await opts.notifier.close();
    },
  };
}
