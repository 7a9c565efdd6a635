import { join } from 'node:path';
import type { Logger } from 'pino';
import type { LegacyMessages, MessageTextExtractor, Notifier, SearchIndexMaintenance, Store } from '../../domain/index.js';
import { createFsBlobStore, type FsBlobStore } from '../blobs/fs-blob-store.js';
import { openSqliteStore, type SqliteDb } from './index.js';
import { createAccountStore } from './accounts/index.js';
import { createSqliteQueueStore, createSqliteVacationLog } from './queue/index.js';
import { createSqliteDkimKeyStore, createSqliteSecretStore } from './keys/index.js';
import { createSqliteBlobSweep } from './blob-sweep.js';

export interface SqliteBackendOptions {
  /** The data directory: `heron.sqlite` and `blobs/` live here. Several processes may share it. */
  dataDir: string;
  notifier: Notifier;
  logger?: Logger;
  /** Database file instead of dataDir/heron.sqlite (':memory:' for throwaway tests). */
  path?: string;
  /** See SqliteStoreOptions.freshBlobMs (0 in tests that check freed blobs go at once). */
  freshBlobMs?: number;
  /** See SqliteStoreOptions.textExtractor (server/ passes mail/mime's). */
  textExtractor?: MessageTextExtractor;
  /** See SqliteStoreOptions.mmapBytes (`heron import` maps less than the server). */
  mmapBytes?: number;
}

export interface SqliteBackend extends Store {
  readonly kind: 'sqlite';
  readonly db: SqliteDb;
  readonly blobs: FsBlobStore;
  /** Messages still in format 1 (store/sqlite/legacy/), upgraded by server/ at start. */
  readonly legacy: LegacyMessages;
  /** content_fts merging, run by server/ from a timer (search/fts-merge.ts). */
  readonly searchIndex: SearchIndexMaintenance;
}

/** Every port of the Store on one SQLite file plus content-addressed blob files. */
export async function openSqliteBackend(opts: SqliteBackendOptions): Promise<SqliteBackend> {
  const blobs = createFsBlobStore(join(opts.dataDir, 'blobs'));
  const core = await openSqliteStore({
    path: opts.path ?? join(opts.dataDir, 'heron.sqlite'),
    blobs,
    notifier: opts.notifier,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.freshBlobMs !== undefined ? { freshBlobMs: opts.freshBlobMs } : {}),
    ...(opts.textExtractor ? { textExtractor: opts.textExtractor } : {}),
    ...(opts.mmapBytes !== undefined ? { mmapBytes: opts.mmapBytes } : {}),
  });
  const { db } = core;
  let closed = false;
  return {
    kind: 'sqlite',
    db,
    users: core.users,
    mail: core.mail,
    legacy: core.legacy,
    searchIndex: core.searchIndex,
    accounts: createAccountStore(db),
    queue: createSqliteQueueStore(db),
    vacation: createSqliteVacationLog(db),
    blobs,
    blobSweep: createSqliteBlobSweep(db, blobs, opts.logger),
    keys: createSqliteDkimKeyStore(db),
    secrets: createSqliteSecretStore(db),
    notifier: opts.notifier,
    async close() {
      if (closed) return;
      closed = true;
      await core.close();
      await opts.notifier.close();
    },
  };
}
