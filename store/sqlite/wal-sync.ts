import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { SqliteDb } from './db.js';

/**
 * Makes committed transactions durable off the event loop. Group commits run with
 * synchronous=NORMAL (COMMIT writes the WAL frames but does not fsync them, so the event loop
 * does not wait for the disk); before any of the batch's callers is answered, the WAL file is
 * fdatasync'd on libuv's thread pool. Commits that land while a sync runs share the next one.
 * Same guarantee as synchronous=FULL for what is acknowledged: the frames up to the commit frame
 * are on disk first; with NORMAL SQLite still syncs the WAL before and the database after each
 * checkpoint. Other writers on the handle (accounts, queue) keep synchronous=FULL.
 */
export interface WalSync {
  /** Resolves once everything committed before the call is on disk. */
  durable(): Promise<void>;
  close(): Promise<void>;
}

export function createWalSync(db: SqliteDb): WalSync {
  // An in-memory database has no WAL: nothing to make durable.
  if (db.memory) return { durable: async () => undefined, close: async () => undefined };
  let handle: Promise<FileHandle> | null = null;
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  async function syncOnce(): Promise<void> {
    handle ??= open(`${db.name}-wal`, 'r');
    await (await handle).datasync();
  }

  function durable(): Promise<void> {
    if (!running) {
      running = syncOnce().finally(() => {
        running = null;
      });
      return running;
    }
    // The running sync may have started before this caller's commit: wait for the next one.
    queued ??= running.then(
      () => {
        queued = null;
        return durable();
      },
      () => {
        queued = null;
        return durable();
      },
    );
    return queued;
  }

  return {
    durable,
    async close() {
      await running?.catch(() => undefined);
      await queued?.catch(() => undefined);
      if (handle) await (await handle).close();
      handle = null;
    },
  };
}
