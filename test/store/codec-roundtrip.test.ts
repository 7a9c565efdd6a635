import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../store/sqlite/index.js';
import type { SqliteStore } from '../../store/sqlite/index.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { prepareMessage } from '../../mail/message-codec/index.js';
import type { BlobStore } from '../../domain/index.js';
import { collect } from './fixtures.js';

// Real messages through the real codec (imap-core's indexer): what the store keeps must come
// back exactly, Buffers and all, and identical attachments in different messages share one blob.

function raw(subject: string, attachment: Buffer): Buffer {
  const b64 = attachment.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    [
      'From: Ann <ann@remote.test>',
      'To: bob@example.test',
      `Subject: ${subject}`,
      `Message-ID: <${subject.replace(/\W/g, '')}@remote.test>`,
      'Date: Tue, 05 Mar 2024 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Body of ${subject} with the word pelican.`,
      '--b1',
      'Content-Type: application/pdf; name="report.pdf"',
      'Content-Disposition: attachment; filename="report.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      b64,
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

let dir: string;
let blobs: BlobStore;
let store: SqliteStore;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-codec-store-'));
  blobs = createFsBlobStore(path.join(dir, 'blobs'));
  // freshBlobMs 0: this test checks that freed blobs go at once.
  store = await openSqliteStore({ path: path.join(dir, 'heron.sqlite'), blobs, notifier: createMemoryNotifier(), freshBlobMs: 0 });
});

after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a codec-prepared message round-trips exactly and its attachment is shared', async () => {
  await store.users.addDomain('example.test');
  const u = await store.users.createUser({ username: 'bob', address: 'bob@example.test', password: 'pw' });
  const attachment = Buffer.alloc(200_000, 7);
  const m1 = await prepareMessage(raw('First one', attachment), blobs);
  const m2 = await prepareMessage(raw('Second one', attachment), blobs);
  const [r1] = await store.mail.deliver(m1, [{ userId: u.id, mailbox: { specialUse: '\\Inbox' } }]);
  await store.mail.deliver(m2, [{ userId: u.id, mailbox: { specialUse: '\\Inbox' } }]);

  const [rec] = await collect(store.mail.getMessages(r1!.mailboxId, [r1!.uid], { fields: ['mimeTree', 'envelope', 'bodystructure', 'attachments', 'header'] }));
  assert.deepEqual(rec!.mimeTree, m1.mimeTree);
  assert.deepEqual(rec!.envelope, m1.envelope);
  assert.deepEqual(rec!.bodystructure, m1.bodystructure);
  assert.deepEqual(rec!.attachments, m1.attachments);
  assert.equal(rec!.header!.subject, 'First one');
  assert.equal(rec!.size, m1.size);

  const shared = m1.blobIds.filter((id) => m2.blobIds.includes(id));
  assert.ok(shared.length >= 1, 'identical attachment, identical blob id');
  const refs = store.db.prepare('SELECT refcount FROM blobs WHERE id = ?').pluck().get(shared[0]) as number;
  assert.equal(refs, 2);

  assert.deepEqual(await store.mail.searchUids(r1!.mailboxId, { type: 'text', field: 'body', value: 'pelican' }), [1, 2]);
  assert.deepEqual(await store.mail.searchUids(r1!.mailboxId, { type: 'text', field: 'filename', value: 'report.pdf' }), [1, 2]);
  assert.deepEqual(await store.mail.searchUids(r1!.mailboxId, { type: 'header', name: 'message-id', value: 'firstone@' }), [1]);

  await store.mail.updateFlags(r1!.mailboxId, { start: 1, end: Infinity }, { action: 'add', flags: ['\\Deleted'] });
  await store.mail.expunge(r1!.mailboxId);
  for (const id of [...m1.blobIds, ...m2.blobIds]) assert.equal(await blobs.has(id), false);
});
