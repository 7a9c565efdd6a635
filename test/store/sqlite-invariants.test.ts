import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../store/sqlite/index.js';
import type { SqliteStore } from '../../store/sqlite/index.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import type { BlobStore } from '../../domain/index.js';
import { makeMessage } from './fixtures.js';

// SQLite-only: after a mixed workload the derived data must agree with the rows it derives from
// (FTS index, blob refcounts, storage accounting, foreign keys).

let dir: string;
let blobs: BlobStore;
let store: SqliteStore;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-invariants-'));
  blobs = createFsBlobStore(path.join(dir, 'blobs'));
  store = await openSqliteStore({ path: path.join(dir, 'heron.sqlite'), blobs, notifier: createMemoryNotifier() });
});

after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('FTS, refcounts, storage and foreign keys stay consistent through a mixed workload', async () => {
  await store.users.addDomain('example.test');
  const a = await store.users.createUser({ username: 'inv-a', address: 'inv-a@example.test', password: 'pw' });
  const b = await store.users.createUser({ username: 'inv-b', address: 'inv-b@example.test', password: 'pw' });
  const shared = Buffer.from('shared bytes');
  for (let i = 0; i < 30; i++) {
    const msg = await makeMessage(blobs, {
      subject: `mixed ${i}`,
      attachments: i % 2 ? [{ filename: `f${i}`, content: shared }, { filename: `own${i}`, content: `own ${i}` }] : [],
      ...(i % 2 ? {} : { size: 1000 + i }),
    });
    await store.mail.deliver(msg, [
      { userId: a.id, mailbox: { specialUse: '\\Inbox' } },
      ...(i % 3 === 0 ? [{ userId: b.id, mailbox: { specialUse: '\\Inbox' as const } }] : []),
    ]);
  }
  const aInbox = (await store.mail.getMailbox(a.id, 'INBOX'))!;
  const archive = (await store.mail.getSpecialMailbox(a.id, '\\Archive'))!;
  await store.mail.copyMessages(aInbox.id, { start: 1, end: 10 }, archive.id);
  await store.mail.moveMessages(aInbox.id, { start: 11, end: 15 }, archive.id);
  await store.mail.updateFlags(aInbox.id, { start: 1, end: 20 }, { action: 'add', flags: ['\\Deleted'] });
  await store.mail.expunge(aInbox.id, { uids: { start: 1, end: 8 } });
  await store.mail.renameMailbox(a.id, 'INBOX', 'Old');
  await store.mail.createMailbox(a.id, 'Tmp/Child');
  await store.mail.copyMessages(archive.id, { start: 1, end: Infinity }, (await store.mail.getMailbox(a.id, 'Tmp/Child'))!.id);
  await store.mail.deleteMailbox(a.id, 'Tmp/Child');
  await store.users.deleteUser(b.id);

  const db = store.db;
  assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  db.prepare("INSERT INTO content_fts(content_fts) VALUES ('integrity-check')").run();
  // Contentless: one index row per content, shared by every copy; no content without a message.
  const contents = db.prepare('SELECT count(*) FROM contents').pluck().get();
  assert.equal(contents, db.prepare('SELECT count(DISTINCT content_id) FROM messages').pluck().get());
  assert.equal(db.prepare('SELECT count(*) FROM content_bytes').pluck().get(), contents);
  assert.equal(db.prepare('SELECT count(*) FROM content_fields').pluck().get(), contents);
  const indexed = db.prepare("SELECT count(*) FROM content_fts WHERE content_fts MATCH 'mixed'").pluck().get();
  assert.equal(indexed, contents);
  const badRefs = db
    .prepare(
      `SELECT b.id, b.refcount, (SELECT count(*) FROM content_blobs cb WHERE cb.blob_id = b.id) AS actual FROM blobs b
       WHERE b.refcount != (SELECT count(*) FROM content_blobs cb WHERE cb.blob_id = b.id)`,
    )
    .all();
  assert.deepEqual(badRefs, []);
  const orphanLinks = db.prepare('SELECT count(*) FROM content_blobs WHERE blob_id NOT IN (SELECT id FROM blobs)').pluck().get();
  assert.equal(orphanLinks, 0);
  for (const id of db.prepare('SELECT id FROM blobs').pluck().all() as string[]) assert.ok(await blobs.has(id), `blob ${id} on disk`);
  const used = db.prepare('SELECT storage_used FROM users WHERE id = ?').pluck().get(Number(a.id));
  const sum = db.prepare('SELECT coalesce(sum(size), 0) FROM messages WHERE user_id = ?').pluck().get(Number(a.id));
  assert.equal(used, sum);
  const stray = db.prepare('SELECT count(*) FROM messages WHERE content_id NOT IN (SELECT id FROM contents)').pluck().get();
  assert.equal(stray, 0);
  for (const mb of await store.mail.listMailboxes(a.id)) {
    const maxUid = db.prepare('SELECT coalesce(max(uid), 0) FROM messages WHERE mailbox_id = ?').pluck().get(Number(mb.id)) as number;
    assert.ok(mb.uidNext > maxUid, `${mb.path}: UIDNEXT above every UID`);
    const maxModseq = db.prepare('SELECT coalesce(max(modseq), 0) FROM messages WHERE mailbox_id = ?').pluck().get(Number(mb.id)) as number;
    assert.ok(mb.highestModseq >= maxModseq, `${mb.path}: HIGHESTMODSEQ covers every message`);
  }
});
