import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteBackend } from '../../store/sqlite/backend.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { openDatabase } from '../../store/sqlite/db.js';
import { createWalSync } from '../../store/sqlite/wal-sync.js';
import { makeMessage } from './fixtures.js';

// Group commits leave the WAL fsync to wal-sync.ts (off the event loop); every other writer on
// the handle keeps synchronous=FULL. Power loss cannot be simulated here; what can be checked is
// that callers are answered only after a sync, and the pragma is restored.

test('concurrent durable() calls share syncs and all resolve; close waits for them', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-wal-'));
  const db = openDatabase(path.join(dir, 'x.sqlite'));
  try {
    db.exec('CREATE TABLE t (x)');
    db.prepare('INSERT INTO t VALUES (1)').run();
    const wal = createWalSync(db);
    const waits = Array.from({ length: 50 }, () => wal.durable());
    await Promise.all(waits);
    await wal.durable();
    await wal.close();
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('store writes go through the WAL sync; synchronous is FULL again for other writers', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-wal-'));
  const store = await openSqliteBackend({ dataDir: dir, notifier: createMemoryNotifier() });
  try {
    await store.users.addDomain('example.test');
    const u = await store.users.createUser({ username: 'w', address: 'w@example.test', password: 'pw' });
    const inbox = (await store.mail.getMailbox(u.id, 'INBOX'))!;
    const msg = await makeMessage(store.blobs);
    const results = await Promise.all(Array.from({ length: 40 }, () => store.mail.append(u.id, inbox.id, msg)));
    assert.equal(new Set(results.map((r) => r.uid)).size, 40);
    // PRAGMA synchronous reads 2 for FULL.
    assert.equal(store.db.pragma('synchronous', { simple: true }), 2);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
