import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../store/sqlite/index.js';
import type { SqliteStore } from '../../store/sqlite/index.js';
import { sweepUnreferencedBlobs } from '../../store/sqlite/blob-sweep.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import type { FsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { makeMessage } from './fixtures.js';

let dir: string;
let blobs: FsBlobStore;
let store: SqliteStore;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-sweep-'));
  blobs = createFsBlobStore(path.join(dir, 'blobs'));
  store = await openSqliteStore({ path: path.join(dir, 'heron.sqlite'), blobs, notifier: createMemoryNotifier() });
});

after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function age(id: string, hours: number): void {
  const p = path.join(dir, 'blobs', id.slice(0, 2), id.slice(2, 4), id);
  const t = new Date(Date.now() - hours * 3_600_000);
  fs.utimesSync(p, t, t);
}

test('the sweep deletes idle unreferenced blobs only', async () => {
  await store.users.addDomain('example.test');
  const u = await store.users.createUser({ username: 'sweep', address: 'sweep@example.test', password: 'pw' });
  const kept = await makeMessage(blobs, { attachments: [{ filename: 'k', content: 'referenced by a message' }] });
  await store.mail.deliver(kept, [{ userId: u.id, mailbox: { specialUse: '\\Inbox' } }]);
  const rejected = await makeMessage(blobs, { attachments: [{ filename: 'r', content: 'prepared, then rejected by a filter' }] });
  const fresh = await blobs.put(Buffer.from('prepared a moment ago'));
  const revived = await blobs.put(Buffer.from('old but re-put just now'));
  for (const id of [kept.blobIds[0]!, rejected.blobIds[0]!, fresh.id, revived.id]) age(id, 48);
  age(fresh.id, 0);
  await blobs.put(Buffer.from('old but re-put just now')); // refreshes mtime
  const leaf = path.join(dir, 'blobs', fresh.id.slice(0, 2), fresh.id.slice(2, 4));
  const staleTmp = path.join(leaf, `.${fresh.id}.deadbeef.tmp`);
  fs.writeFileSync(staleTmp, 'interrupted write');
  fs.utimesSync(staleTmp, new Date(0), new Date(0));
  fs.writeFileSync(path.join(dir, 'blobs', 'not-a-blob-dir'), 'ignored');

  const r = await sweepUnreferencedBlobs({ db: store.db, blobs, graceMs: 3_600_000 });
  assert.equal(r.deleted, 1);
  assert.equal(await blobs.has(rejected.blobIds[0]!), false);
  assert.ok(await blobs.has(kept.blobIds[0]!));
  assert.ok(await blobs.has(fresh.id));
  assert.ok(await blobs.has(revived.id));
  assert.equal(fs.existsSync(staleTmp), false);
});

test('a blob re-prepared while its last message is expunged survives for the delivery', async () => {
  const u = await store.users.createUser({ username: 'race', address: 'race@example.test', password: 'pw' });
  const inbox = (await store.mail.getSpecialMailbox(u.id, '\\Inbox'))!;
  const content = 'same attachment, expunged and re-delivered';
  const first = await makeMessage(blobs, { attachments: [{ filename: 'a', content }] });
  await store.mail.deliver(first, [{ userId: u.id, mailbox: { specialUse: '\\Inbox' } }]);
  // The codec prepares the next message (put touches the file) ...
  const second = await makeMessage(blobs, { attachments: [{ filename: 'a', content }] });
  assert.equal(second.blobIds[0], first.blobIds[0]);
  // ... while the only stored reference goes away.
  await store.mail.updateFlags(inbox.id, { start: 1, end: Infinity }, { action: 'add', flags: ['\\Deleted'] });
  await store.mail.expunge(inbox.id);
  assert.ok(await blobs.has(first.blobIds[0]!), 'a freshly put blob is not deleted on release');
  await store.mail.deliver(second, [{ userId: u.id, mailbox: { specialUse: '\\Inbox' } }]);
  assert.ok(await blobs.has(second.blobIds[0]!));
});
