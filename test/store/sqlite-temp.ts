import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../store/sqlite/index.js';
import type { SqliteStore } from '../../store/sqlite/index.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import type { BlobStore, Id } from '../../domain/index.js';

/** A SQLite store in a fresh temporary directory, with one user (`<name>@example.test`) and its INBOX. */
export interface TempSqlite {
  dir: string;
  blobs: BlobStore;
  store: SqliteStore;
  userId: Id;
  inbox: Id;
  /** Another handle on the same database (the caller closes it). */
  open(): Promise<SqliteStore>;
  /** Closes `store` and opens it again, as a restarted process would. */
  reopen(): Promise<SqliteStore>;
  /** Closes `store` and deletes the directory. */
  remove(): Promise<void>;
}

export async function openTempSqlite(name: string): Promise<TempSqlite> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `heron-${name}-`));
  const blobs = createFsBlobStore(path.join(dir, 'blobs'));
  const open = () => openSqliteStore({ path: path.join(dir, 'heron.sqlite'), blobs, notifier: createMemoryNotifier() });
  const store = await open();
  await store.users.addDomain('example.test');
  const user = await store.users.createUser({ username: name, address: `${name}@example.test`, password: 'pw' });
  const t: TempSqlite = {
    dir,
    blobs,
    store,
    userId: user.id,
    inbox: (await store.mail.getMailbox(user.id, 'INBOX'))!.id,
    open,
    async reopen() {
      await t.store.close();
      t.store = await open();
      return t.store;
    },
    async remove() {
      await t.store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}
