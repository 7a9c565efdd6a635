import type { Logger } from 'pino';
import type { Notifier, Store } from '../domain/index.js';
import type { Config } from '../config/index.js';
import { ConfigError } from '../config/index.js';
import { openSqliteBackend } from '../store/sqlite/backend.js';
import { openMongoBackend } from '../store/mongodb/index.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { createSearchTextExtractor } from '../mail/mime/index.js';
import { createRedisNotifier } from '../store/notifier/redis-notifier.js';

export interface OpenStoreOptions {
  logger?: Logger;
  notifications?: boolean;
  /** SQLite's memory map in bytes (store/sqlite/db.ts); the server keeps the store's default. */
  sqliteMmapBytes?: number;
}

/**
 * The configured backend with every port (domain/store.ts): SQLite in dataDir (heron.sqlite,
 * blobs/), or MongoDB (a replica set: transactions) with blobs in GridFS. With HERON_REDIS_URL,
 * change events cross nodes through Redis pub/sub (IDLE on one node hears a delivery on
 * another); otherwise they stay in this process.
 */
export async function openStore(config: Config, opts: OpenStoreOptions = {}): Promise<Store> {
  const logger = opts.logger;
  const notifier: Notifier =
    config.redisUrl && opts.notifications !== false
      ? createRedisNotifier({ redis: config.redisUrl, prefix: `${config.redisPrefix}:changes:`, ...(logger ? { logger } : {}) })
      : createMemoryNotifier();
  try {
    if (config.store.kind === 'mongodb') {
      if (!config.store.mongodbUri) throw new ConfigError('HERON_STORE=mongodb needs HERON_MONGODB_URI (a replica set, e.g. mongodb://db1,db2,db3/heron?replicaSet=rs0)');
      return await openMongoBackend({ uri: config.store.mongodbUri, notifier, ...(logger ? { logger } : {}) });
    }
    // Substring search verifies its index candidates against text re-derived by the parser.
    return await openSqliteBackend({
      dataDir: config.dataDir,
      notifier,
      textExtractor: createSearchTextExtractor(),
      ...(logger ? { logger } : {}),
      ...(opts.sqliteMmapBytes !== undefined ? { mmapBytes: opts.sqliteMmapBytes } : {}),
    });
  } catch (err) {
    await notifier.close();
    throw err;
  }
}
