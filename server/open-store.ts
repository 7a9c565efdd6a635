import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Notifier } from '../domain/index.js';
import type { Config } from '../config/index.js';
import { ConfigError } from '../config/index.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/index.js';
import { createFsBlobStore, type FsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { createRedisNotifier } from '../store/notifier/redis-notifier.js';

export interface OpenedStore {
  store: SqliteStore;
  blobs: FsBlobStore;
  notifier: Notifier;
}

/**
 * The configured backend. SQLite lives in dataDir/heron.sqlite, blobs in dataDir/blobs. With
 * HERON_REDIS_URL, change events cross nodes through Redis pub/sub (IDLE on one node hears a
 * delivery on another); otherwise they stay in this process.
 */
export async function openStore(config: Config, logger?: Logger, opts: { notifications?: boolean } = {}): Promise<OpenedStore> {
  if (config.store.kind !== 'sqlite') {
    throw new ConfigError(`HERON_STORE=${config.store.kind}: this build ships the sqlite backend only (the MongoDB backend is a separate issue)`);
  }
  const blobs = createFsBlobStore(join(config.dataDir, 'blobs'));
  const notifier =
    config.redisUrl && opts.notifications !== false
      ? createRedisNotifier({ redis: config.redisUrl, ...(logger ? { logger } : {}) })
      : createMemoryNotifier();
  const store = await openSqliteStore({ path: join(config.dataDir, 'heron.sqlite'), blobs, notifier, ...(logger ? { logger } : {}) });
  return { store, blobs, notifier };
}
