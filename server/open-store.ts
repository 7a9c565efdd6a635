import { join } from 'node:path';
import type { Logger } from 'pino';
import type { BlobStore, Notifier, Store } from '../domain/index.js';
import type { Config } from '../config/index.js';
import { ConfigError } from '../config/index.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';

export interface OpenedStore {
  store: SqliteStore;
  blobs: BlobStore;
  notifier: Notifier;
}

/** The configured backend. SQLite lives in dataDir/heron.sqlite, blobs in dataDir/blobs. */
export async function openStore(config: Config, logger?: Logger): Promise<OpenedStore & { store: Store }> {
  if (config.store.kind !== 'sqlite') {
    throw new ConfigError(`HERON_STORE=${config.store.kind}: this build ships the sqlite backend only (the MongoDB backend is a separate issue)`);
  }
  const blobs = createFsBlobStore(join(config.dataDir, 'blobs'));
  const notifier = createMemoryNotifier();
  const store = await openSqliteStore({ path: join(config.dataDir, 'heron.sqlite'), blobs, notifier, ...(logger ? { logger } : {}) });
  return { store, blobs, notifier };
}
