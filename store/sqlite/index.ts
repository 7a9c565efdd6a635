import type { Logger } from 'pino';
import type { BlobStore, MailStore, Notifier, Store, UserStore } from '../../domain/index.js';
import type { StoreContext } from './context.js';
import { openDatabase } from './db.js';
import type { SqliteDb } from './db.js';
import { registerHeaderMatch } from './header-match.js';
import { migrate } from './migrate.js';
import { MAIL_MIGRATIONS } from './schema.js';
import { createUserStore } from './users.js';
import { createMailboxMethods } from './mailboxes.js';
import { createMessageMethods } from './messages.js';
import { createFlagMethods } from './flag-updates.js';
import { createExpungeMethods } from './expunge.js';
import { createCopyMoveMethods } from './copy-move.js';
import { createSearchMethods } from './search.js';

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
}

export interface SqliteStore extends Store {
  readonly kind: 'sqlite';
  /** Shared handle: other areas (accounts, queue) add their tables with migrate(db, area, ...). */
  readonly db: SqliteDb;
}

export async function openSqliteStore(opts: SqliteStoreOptions): Promise<SqliteStore> {
  const db = openDatabase(opts.path);
  try {
    registerHeaderMatch(db);
    migrate(db, 'mail', MAIL_MIGRATIONS);
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
  };
  if (opts.logger) ctx.logger = opts.logger;
  const users: UserStore = createUserStore(ctx);
  const mail: MailStore = {
    ...createMailboxMethods(ctx),
    ...createMessageMethods(ctx),
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
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

export type { SqliteDb };
