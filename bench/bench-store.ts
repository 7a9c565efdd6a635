/**
 * The store and account the benches fill: a throwaway SQLite store in a temporary directory and
 * the one user, bench@bench.test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BlobStore, User, UserStore } from '../domain/index.js';
import { createSearchTextExtractor } from '../mail/mime/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/index.js';

export interface TempStore {
  dir: string;
  dbPath: string;
  blobs: BlobStore;
  store: SqliteStore;
  /** Closes the store and deletes the directory. */
  remove(): Promise<void>;
}

/**
 * A new SQLite store in a fresh temporary directory (`prefix` names it), blobs beside it.
 * `searchText`: with the text extractor substring search verifies against, as server/ wires it.
 */
export async function openTempStore(prefix: string, opts: { file?: string; searchText?: boolean } = {}): Promise<TempStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dbPath = path.join(dir, opts.file ?? 'heron.sqlite');
  const blobs = createFsBlobStore(path.join(dir, 'blobs'));
  const store = await openSqliteStore({ path: dbPath, blobs, notifier: createMemoryNotifier(), ...(opts.searchText ? { textExtractor: createSearchTextExtractor() } : {}) });
  return {
    dir,
    dbPath,
    blobs,
    store,
    async remove() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The benches' account, bench@bench.test, verified so it may log in (API, IMAP). */
export async function createBenchUser(users: UserStore, password: string): Promise<User> {
  await users.addDomain('bench.test');
  return users.createUser({ username: 'bench', address: 'bench@bench.test', password, verified: true });
}
