import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteBackend } from '../../store/sqlite/backend.js';
import type { SqliteBackend } from '../../store/sqlite/backend.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { upgradeLegacyMessages } from '../../server/upgrade-legacy.js';
import { createSearchTextExtractor, normalizeLineEnds, prepareMessage } from '../../mail/mime/index.js';
import type { BlobStore } from '../../domain/index.js';
import { collect, messageBytes } from './fixtures.js';

// A data directory written by the format-1 code (test/store/format1-data/README.md) opened by
// today's store: everything stays readable before the upgrade, and the upgrade rewrites every
// old row with the same bytes, UIDs, flags and dates.

const here = path.dirname(fileURLToPath(import.meta.url));
const expected = JSON.parse(fs.readFileSync(path.join(here, 'format1-data', 'expected.json'), 'utf8')) as Record<string, { uid: number; size: number; sha: string }>;
let dir: string;
let store: SqliteBackend;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const open = () => openSqliteBackend({ dataDir: dir, notifier: createMemoryNotifier(), freshBlobMs: 0, textExtractor: createSearchTextExtractor() });

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-format1-'));
  fs.cpSync(path.join(here, 'format1-data'), dir, { recursive: true });
  store = await open();
});

after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ann() {
  const u = (await store.users.findUserByLogin('ann'))!;
  const inbox = (await store.mail.getMailbox(u.id, 'INBOX'))!;
  return { u, inbox };
}

/** Bytes each message was served with before the upgrade, by message id. */
const servedBefore = new Map<string, Buffer>();

async function allMessages() {
  const out = [];
  for (const u of await store.users.listUsers()) {
    for (const mb of await store.mail.listMailboxes(u.id)) out.push(...(await collect(store.mail.getMessages(mb.id, { start: 1, end: Infinity }, { fields: ['content'] }))));
  }
  return out;
}

async function checkMessages(label: string): Promise<void> {
  const { u, inbox } = await ann();
  assert.deepEqual(await store.mail.listUids(inbox.id), [1, 3, 4, 6, 7, 8], `${label}: INBOX uids`);
  const recs = await collect(store.mail.getMessages(inbox.id, { start: 1, end: Infinity }, { fields: ['content', 'header'] }));
  for (const [name, e] of Object.entries(expected)) {
    if (name === 'lf-only' || name === 'headers-only') continue;
    const r = recs.find((m) => m.uid === e.uid);
    assert.ok(r, `${label}: ${name} present`);
    assert.equal(r.size, e.size, `${label}: ${name} size`);
    assert.equal(sha(await messageBytes(store.blobs, r.content!)), e.sha, `${label}: ${name} exact bytes`);
  }
  const [first] = recs;
  assert.deepEqual(first!.flags, ['\\Seen', 'Important']);
  assert.equal(first!.header!.subject, 'Plain old message');
  assert.equal(recs.find((m) => m.uid === 8)!.threadId, first!.threadId, 'the reply stays in its thread');
  assert.match(first!.threadId, /^[1-9][0-9]*$/);
  const quiet = (await store.mail.getMailbox(u.id, 'Projects/Quiet'))!;
  const [moved] = await collect(store.mail.getMessages(quiet.id, [1], { fields: ['content'] }));
  assert.equal(sha(await messageBytes(store.blobs, moved!.content!)), expected['lf-only']!.sha, `${label}: moved message`);
  const archive = (await store.mail.getSpecialMailbox(u.id, '\\Archive'))!;
  const [copy] = await collect(store.mail.getMessages(archive.id, [1], { fields: ['content'] }));
  assert.equal(sha(await messageBytes(store.blobs, copy!.content!)), expected['attachment']!.sha, `${label}: copy`);
  const bob = (await store.users.findUserByLogin('bob'))!;
  const bobInbox = (await store.mail.getMailbox(bob.id, 'INBOX'))!;
  const [bobs] = await collect(store.mail.getMessages(bobInbox.id, [1], { fields: ['content'] }));
  assert.equal(sha(await messageBytes(store.blobs, bobs!.content!)), expected['attachment']!.sha, `${label}: other user`);
}

test('before the upgrade: old rows are listed, readable byte for byte, with flags, threads and subscriptions', async () => {
  assert.equal(await store.legacy.count(), 9);
  await checkMessages('format 1');
  for (const m of await allMessages()) servedBefore.set(m.id, await messageBytes(store.blobs, m.content!));
  assert.equal(servedBefore.size, 9);
  const { u, inbox } = await ann();
  const subs = await store.mail.listSubscriptions(u.id);
  assert.ok(subs.includes('INBOX') && !subs.includes('Projects/Quiet'));
  assert.equal((await store.mail.getMailbox(u.id, 'Projects/Quiet'))!.subscribed, false);
  const st = await store.mail.getMailboxStatus(inbox.id);
  assert.equal(st.recent, 0, 'messages of the old code are not \\Recent');
  assert.equal(st.messages, 6);
  assert.deepEqual(await store.mail.listKeywords(inbox.id), ['Important']);
  const page = await store.legacy.list(3);
  assert.equal(page.length, 3);
  const next = await store.legacy.list(100, page[2]!.messageId);
  assert.equal(next.length, 6);
});

test('the upgrade rewrites every old row: same bytes, UIDs, flags; searchable; old rows and references gone', async () => {
  const { inbox } = await ann();
  const status = await store.mail.getMailboxStatus(inbox.id);
  const result = await upgradeLegacyMessages({ legacy: store.legacy, blobs: store.blobs, prepare: prepareMessage });
  assert.deepEqual(result, { upgraded: 9, failed: 0 });
  assert.equal(await store.legacy.count(), 0);
  // Same bytes, except that line ends are CRLF now where the old code served a bare LF (RFC 3501
  // requires CRLF): only then does RFC822.SIZE change.
  let changed = 0;
  for (const m of await allMessages()) {
    const old = servedBefore.get(m.id)!;
    const now = await messageBytes(store.blobs, m.content!);
    assert.deepEqual(now, normalizeLineEnds(old), `message ${m.id}`);
    if (!now.equals(old)) changed++;
  }
  assert.ok(changed <= 1, `${changed} messages had bare line ends`);
  const after = await store.mail.getMailboxStatus(inbox.id);
  assert.deepEqual({ ...after, size: 0 }, { ...status, size: 0 }, 'no MODSEQ or UID changed');
  const [plain] = await collect(store.mail.getMessages(inbox.id, [1], { fields: ['structure', 'envelope', 'header'] }));
  assert.equal(plain!.structure!.type.toLowerCase(), 'text');
  assert.equal(plain!.envelope!.subject, 'Plain old message');
  assert.deepEqual(await store.mail.searchUids(inbox.id, { type: 'text', field: 'body', value: 'pelican', match: 'words' }), [1]);
  assert.deepEqual(await store.mail.searchUids(inbox.id, { type: 'text', field: 'text', value: 'elica', match: 'substring' }), [1]);
  assert.deepEqual(await store.mail.searchUids(inbox.id, { type: 'text', field: 'filename', value: 'report', match: 'substring' }), [3]);
  assert.ok((await store.mail.searchUids(inbox.id, { type: 'hasAttachment' })).includes(3));
  const db = store.db;
  for (const t of ['message_content', 'message_search', 'message_blobs']) assert.equal(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get(), 0, t);
  const badRefs = db.prepare('SELECT count(*) FROM blobs b WHERE b.refcount != (SELECT count(*) FROM content_blobs cb WHERE cb.blob_id = b.id)').pluck().get();
  assert.equal(badRefs, 0);
  const used = db.prepare("SELECT storage_used FROM users WHERE username = 'ann'").pluck().get();
  assert.equal(used, db.prepare("SELECT sum(size) FROM messages WHERE user_id = (SELECT id FROM users WHERE username = 'ann')").pluck().get());
  assert.deepEqual(await upgradeLegacyMessages({ legacy: store.legacy, blobs: store.blobs, prepare: prepareMessage }), { upgraded: 0, failed: 0 });
  await store.close();
  store = await open();
  for (const m of await allMessages()) assert.deepEqual(await messageBytes(store.blobs, m.content!), normalizeLineEnds(servedBefore.get(m.id)!), 'reopened');
});

test('a message the parser fails on stays in the old form, readable, and the next start retries it', async () => {
  const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-format1-'));
  fs.cpSync(path.join(here, 'format1-data'), dir2, { recursive: true });
  let s = await openSqliteBackend({ dataDir: dir2, notifier: createMemoryNotifier(), freshBlobMs: 0, textExtractor: createSearchTextExtractor() });
  try {
    let calls = 0;
    const flaky = async (raw: Buffer, blobs: BlobStore) => {
      if (++calls === 2) throw new Error('parser bug');
      return prepareMessage(raw, blobs);
    };
    assert.deepEqual(await upgradeLegacyMessages({ legacy: s.legacy, blobs: s.blobs, prepare: flaky }), { upgraded: 8, failed: 1 });
    const [left] = await s.legacy.list(10);
    assert.ok(left);
    const rec = await s.mail.getMessageById(left.userId, left.messageId, ['content']);
    assert.ok(rec && rec.content!.length > 0, 'still served from the old form');
    await s.close();
    s = await openSqliteBackend({ dataDir: dir2, notifier: createMemoryNotifier(), freshBlobMs: 0, textExtractor: createSearchTextExtractor() });
    assert.deepEqual(await upgradeLegacyMessages({ legacy: s.legacy, blobs: s.blobs, prepare: prepareMessage }), { upgraded: 1, failed: 0 });
  } finally {
    await s.close();
    fs.rmSync(dir2, { recursive: true, force: true });
  }
});
