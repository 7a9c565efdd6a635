import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runStoreContract } from './contract/index.js';
import type { StoreHarness } from './contract/index.js';
import { openSqliteStore } from '../../store/sqlite/index.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';

runStoreContract('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-store-'));
  const blobs = createFsBlobStore(path.join(dir, 'blobs'));
  const notifier = createMemoryNotifier();
  // freshBlobMs 0: the contract checks that freed blobs go at once.
  const open = () => openSqliteStore({ path: path.join(dir, 'heron.sqlite'), blobs, notifier, freshBlobMs: 0 });
  const harness: StoreHarness = {
    store: await open(),
    blobs,
    notifier,
    async reopen() {
      await harness.store.close();
      harness.store = await open();
      return harness.store;
    },
    async cleanup() {
      await harness.store.close();
      await notifier.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
});
