/**
 * The store and account the benches fill: a throwaway SQLite store in a temporary directory and
 * the one user, bench@bench.test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BlobStore, Id, User, UserStore } from '../domain/index.js';
import { createSearchTextExtractor } from '../mail/mime/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/index.js';
import { makeMessage } from '../test/store/fixtures.js';
import { rng } from '../test/helpers/rng.js';
import { prose, vocabulary } from './mail-corpus.js';

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

/**
 * Appends `count` messages of realistic prose (mail-corpus.ts) to a mailbox, 256 per group
 * commit; message i is the same in every bench. `flags(i)`: the flags message i is stored with.
 */
export async function fillWithProse(store: SqliteStore, blobs: BlobStore, to: { userId: Id; mailboxId: Id }, count: number, flags: (i: number) => string[] = () => []): Promise<void> {
  const v = vocabulary();
  for (let start = 0; start < count; start += 256) {
    const pending: Array<Promise<unknown>> = [];
    for (let i = start; i < Math.min(count, start + 256); i++) {
      const r = rng(i);
      const msg = await makeMessage(blobs, {
        subject: prose(v, r, 50).split('.')[0]!,
        from: `Sender ${i % 500} <sender${i % 500}@corp${i % 40}.test>`,
        text: prose(v, r, 2000),
        messageId: `<m${i}@bench.test>`,
      });
      pending.push(store.mail.append(to.userId, to.mailboxId, msg, { flags: flags(i) }));
    }
    await Promise.all(pending);
  }
}
