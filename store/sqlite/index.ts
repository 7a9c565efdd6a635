import type { Logger } from 'pino';
import type { BlobStore, LegacyMessages, MailStore, MessageTextExtractor, Notifier, SearchIndexMaintenance, Store, UserStore } from '../../domain/index.js';
import type { StoreContext } from './context.js';
import { openDatabase } from './db.js';
import type { SqliteDb } from './db.js';
import { migrate } from './migrate.js';
import { MAIL_MIGRATIONS } from './schema.js';
import { createUserStore } from './users.js';
import { createMailboxMethods } from './mailboxes.js';
import { createMessageMethods } from './messages.js';
import { createNarrowReadMethods } from './narrow-reads.js';
import { createFlagMethods } from './flag-updates.js';
import { createExpungeMethods } from './expunge.js';
import { createCopyMoveMethods } from './copy-move.js';
import { createSearchMethods } from './search/methods.js';
import { createVocabulary } from './search/vocabulary.js';
import { configureFtsMerging, createFtsMaintenance } from './search/fts-merge.js';
import { createPlannerStatsRefresher, refreshPlannerStats } from './planner-stats.js';
import { createSubscriptionMethods } from './subscriptions.js';
import { createMailboxStateMethods } from './mailbox-state.js';
import { createLegacyMessages } from './legacy/legacy-messages.js';
import { createWalSync } from './wal-sync.js';

/** Longer than any prepare -> deliver gap (filters time out well before). */
const DEFAULT_FRESH_BLOB_MS = 15 * 60_000;

export interface SqliteStoreOptions {
  /**
   * A freed blob that put() touched within this window may belong to a message about to be
   * delivered; it is left for the unreferenced-blob sweep (blob-sweep.ts) instead of deleted.
   */
  freshBlobMs?: number;
  /** Database file, or ':memory:' for throwaway tests. */
  path: string;
  blobs: BlobStore;
  notifier: Notifier;
  logger?: Logger;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /**
   * Re-derives a stored message's search text (server/ injects mail/mime's): substring search
   * verifies its index candidates with it. Without one, substring search answers from the token
   * index alone (words in the value are still matched, the characters between them are not).
   */
  textExtractor?: MessageTextExtractor;
  /** See DatabaseOptions.mmapBytes (default DEFAULT_MMAP_BYTES). */
  mmapBytes?: number;
}

/** The mail area (users + mail) on one handle; backend.ts adds the other ports to make the whole Store. */
export interface SqliteStore extends Pick<Store, 'users' | 'mail' | 'close'> {
  readonly kind: 'sqlite';
  /** Shared handle: other areas (accounts, queue) add their tables with migrate(db, area, ...). */
  readonly db: SqliteDb;
  /** Messages still stored in format 1, for server/ to upgrade at start. */
  readonly legacy: LegacyMessages;
  /** Merges content_fts in the background (search/fts-merge.ts); commits no longer do. Also refreshes planner statistics (planner-stats.ts). */
  readonly searchIndex: SearchIndexMaintenance;
}

export async function openSqliteStore(opts: SqliteStoreOptions): Promise<SqliteStore> {
  const db = openDatabase(opts.path, opts.mmapBytes !== undefined ? { mmapBytes: opts.mmapBytes } : {});
  try {
    migrate(db, 'mail', MAIL_MIGRATIONS);
    configureFtsMerging(db);
    // Statistics for the query planner (bounded work), refreshed later from server/'s timer
    // (searchIndex.refreshStatistics): SQLite's advice for long-lived handles.
    refreshPlannerStats(db);
  } catch (err) {
    db.close();
    throw err;
  }
  const ctx: StoreContext = {
    db,
    blobs: opts.blobs,
    notifier: opts.notifier,
    now: opts.now ?? Date.now,
    freshBlobMs: opts.freshBlobMs ?? DEFAULT_FRESH_BLOB_MS,
    vocabulary: createVocabulary(db),
    warned: new Set(),
    wal: createWalSync(db),
  };
  if (opts.logger) ctx.logger = opts.logger;
  if (opts.textExtractor) ctx.textExtractor = opts.textExtractor;
  const users: UserStore = createUserStore(ctx);
  const mail: MailStore = {
    ...createMailboxMethods(ctx),
    ...createSubscriptionMethods(ctx),
    ...createMailboxStateMethods(ctx),
    ...createMessageMethods(ctx),
    ...createNarrowReadMethods(ctx),
    ...createFlagMethods(ctx),
    ...createExpungeMethods(ctx),
    ...createCopyMoveMethods(ctx),
    ...createSearchMethods(ctx),
  };
  let closed = false;
  return {
    kind: 'sqlite',
    db,
    users,
    mail,
    legacy: createLegacyMessages(ctx),
    searchIndex: { ...createFtsMaintenance(db), refreshStatistics: createPlannerStatsRefresher(db) },
    async close() {
      if (closed) return;
      closed = true;
      await ctx.wal.close();
      db.close();
    },
  };
}

export type { SqliteDb };
