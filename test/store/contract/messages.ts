import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStoreError } from '../../../domain/index.js';
import type { StoreHarness } from './harness.js';
import { inboxOf, newUser } from './harness.js';
import { collect, makeMessage, messageBytes } from '../fixtures.js';

export function messageContract(h: () => StoreHarness): void {
  test('deliver to several users in one call; Junk by special use; flags at delivery', async () => {
    const { store, blobs } = h();
    const a = await newUser(store);
    const b = await newUser(store);
    const msg = await makeMessage(blobs, { subject: 'to both' });
    const res = await store.mail.deliver(msg, [
      { userId: a.id, mailbox: { specialUse: '\\Inbox' } },
      { userId: b.id, mailbox: { specialUse: '\\Junk' }, flags: ['$Junk'] },
    ]);
    assert.equal(res.length, 2);
    assert.equal(res[0]!.userId, a.id);
    assert.equal(res[0]!.uid, 1);
    assert.equal(res[0]!.mailboxId, (await inboxOf(store, a)).id);
    const junk = await store.mail.getSpecialMailbox(b.id, '\\Junk');
    assert.equal(res[1]!.mailboxId, junk!.id);
    assert.equal(res[1]!.uidValidity, junk!.uidValidity);
    const [rec] = await collect(store.mail.getMessages(junk!.id, [1]));
    assert.deepEqual(rec!.flags, ['$Junk']);
    assert.equal((await store.mail.getQuota(a.id)).used, msg.size);
  });

  test('deliver is all-or-nothing: one bad target rolls back every target', async () => {
    const { store, blobs } = h();
    const a = await newUser(store);
    const b = await newUser(store);
    const bBox = await inboxOf(store, b);
    await assert.rejects(
      store.mail.deliver(await makeMessage(blobs), [
        { userId: a.id, mailbox: { specialUse: '\\Inbox' } },
        { userId: a.id, mailbox: { mailboxId: bBox.id } }, // not a's mailbox
      ]),
      (e) => isStoreError(e, 'not_found'),
    );
    assert.deepEqual(await store.mail.listUids((await inboxOf(store, a)).id), []);
    assert.equal((await inboxOf(store, a)).uidNext, 1);
    assert.equal((await store.mail.getQuota(a.id)).used, 0);
  });

  test('append: UIDs ascend, flags and internal date kept, quota_exceeded', async () => {
    const { store, blobs } = h();
    const u = await newUser(store, { quota: 1000 });
    const inbox = await inboxOf(store, u);
    const when = new Date('2020-01-02T03:04:05Z');
    const r1 = await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { size: 600 }), { flags: ['\\Seen', '\\flagged', 'Work'], internalDate: when });
    assert.equal(r1.uid, 1);
    await assert.rejects(store.mail.append(u.id, inbox.id, await makeMessage(blobs, { size: 600 })), (e) => isStoreError(e, 'quota_exceeded'));
    const r2 = await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { size: 400 }));
    assert.equal(r2.uid, 2);
    assert.ok(r2.modseq > r1.modseq);
    assert.deepEqual(await store.mail.getQuota(u.id), { used: 1000, limit: 1000 });
    const [m] = await collect(store.mail.getMessages(inbox.id, [1]));
    assert.deepEqual(m!.flags, ['\\Seen', '\\Flagged', 'Work']);
    assert.equal(m!.internalDate.toISOString(), when.toISOString());
    const other = await newUser(store);
    await assert.rejects(store.mail.append(other.id, inbox.id, await makeMessage(blobs)), (e) => isStoreError(e, 'not_found'));
  });

  test('getMessages: fields pick what is loaded; bytes, structure and JSON parts round-trip exactly', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const msg = await makeMessage(blobs, { subject: 'Tree', attachments: [{ filename: 'a.bin', content: Buffer.from([0, 1, 2, 3, 255]) }] });
    await store.mail.append(u.id, inbox.id, msg);
    const [light] = await collect(store.mail.getMessages(inbox.id, [1], { fields: ['flags'] }));
    for (const f of ['content', 'structure', 'envelope', 'header', 'attachments', 'sortKeys', 'snippet'] as const) assert.equal(light![f], undefined, f);
    const [full] = await collect(
      store.mail.getMessages(inbox.id, { start: 1, end: Infinity }, { fields: ['content', 'structure', 'envelope', 'header', 'attachments', 'sortKeys', 'snippet'] }),
    );
    assert.equal(full!.snippet, msg.snippet);
    assert.deepEqual(await messageBytes(blobs, full!.content!), await messageBytes(blobs, msg.content), 'exact bytes');
    assert.ok(full!.content!.some((s) => 'blobId' in s), 'the attachment body stays a blob reference');
    assert.deepEqual(full!.structure, msg.structure);
    assert.deepEqual(full!.envelope, msg.envelope);
    assert.deepEqual(full!.header, msg.header);
    assert.ok(full!.header!.date instanceof Date);
    assert.deepEqual(full!.attachments, msg.attachments);
    assert.deepEqual(full!.sortKeys, msg.sortKeys);
    assert.equal(full!.size, msg.size);
    assert.match(full!.emailId, /^[1-9][0-9]*$/);
    assert.match(full!.threadId, /^[1-9][0-9]*$/);
    assert.ok(full!.savedAt instanceof Date);
  });

  test('content of every shape round-trips: empty body, binary, 8-bit, large inline, several blobs', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const shapes = [
      await makeMessage(blobs, { text: '' }),
      await makeMessage(blobs, { text: 'caf\u00e9 \u65e5\u672c\u8a9e \u{1F600}\r\n'.repeat(5) }),
      await makeMessage(blobs, { text: 'x'.repeat(300_000) }),
      await makeMessage(blobs, { attachments: [{ filename: 'a', content: Buffer.alloc(70_000, 1) }, { filename: 'b', content: Buffer.from([0, 255]) }] }),
    ];
    for (const m of shapes) {
      const r = await store.mail.append(u.id, inbox.id, m);
      const back = await store.mail.getMessageById(u.id, r.messageId, ['content']);
      assert.deepEqual(await messageBytes(blobs, back!.content!), await messageBytes(blobs, m.content));
      assert.equal(back!.size, m.size);
    }
  });

  test('emailId: one per delivered message, shared by every recipient; savedAt is when it was saved', async () => {
    const { store, blobs } = h();
    const a = await newUser(store);
    const b = await newUser(store);
    const before = Date.now();
    const res = await store.mail.deliver(await makeMessage(blobs), [
      { userId: a.id, mailbox: { specialUse: '\\Inbox' } },
      { userId: b.id, mailbox: { specialUse: '\\Inbox' } },
    ]);
    const ra = await store.mail.getMessageById(a.id, res[0]!.messageId);
    const rb = await store.mail.getMessageById(b.id, res[1]!.messageId);
    assert.equal(ra!.emailId, rb!.emailId);
    assert.ok(ra!.savedAt.getTime() >= before - 1000 && ra!.savedAt.getTime() <= Date.now() + 1000);
    const other = await store.mail.append(a.id, (await inboxOf(store, a)).id, await makeMessage(blobs));
    assert.notEqual((await store.mail.getMessageById(a.id, other.messageId))!.emailId, ra!.emailId);
  });

  test('getMessages: uid lists, ranges with *, reversed ranges, changedSince, many batches', async (t) => {
    // 1,203 messages: a wire-compatible test server slows down per insert as collections grow.
    const lacks = h().backend.lacks('largeCollections');
    if (lacks) return t.skip(lacks);
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const msg = await makeMessage(blobs);
    for (let i = 0; i < 1203; i++) await store.mail.append(u.id, inbox.id, msg);
    const all = await collect(store.mail.getMessages(inbox.id, { start: 1, end: Infinity }));
    assert.equal(all.length, 1203);
    assert.deepEqual(all.slice(0, 3).map((m) => m.uid), [1, 2, 3]);
    assert.equal(all[1202]!.uid, 1203);
    assert.deepEqual((await collect(store.mail.getMessages(inbox.id, [5, 3, 99999]))).map((m) => m.uid), [3, 5]);
    assert.deepEqual((await collect(store.mail.getMessages(inbox.id, { start: 12, end: 10 }))).map((m) => m.uid), [10, 11, 12]);
    const before = (await inboxOf(store, u)).highestModseq;
    await store.mail.updateFlags(inbox.id, [7, 8], { action: 'add', flags: ['\\Seen'] });
    const changed = await collect(store.mail.getMessages(inbox.id, { start: 1, end: Infinity }, { changedSince: before }));
    assert.deepEqual(changed.map((m) => m.uid), [7, 8]);
    assert.deepEqual(await store.mail.listUids(inbox.id), all.map((m) => m.uid));
  });

  test('getMessageById is per user; findByMessageIdHeader; threads follow References', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const other = await newUser(store);
    const sent = await store.mail.getSpecialMailbox(u.id, '\\Sent');
    const first = await store.mail.append(u.id, sent!.id, await makeMessage(blobs, { messageId: '<root@x.test>' }));
    const reply = await store.mail.append(u.id, sent!.id, await makeMessage(blobs, { messageId: '<re@x.test>', inReplyTo: '<root@x.test>', references: ['<root@x.test>'] }));
    const lone = await store.mail.append(u.id, sent!.id, await makeMessage(blobs, { messageId: '<lone@x.test>' }));
    assert.equal(await store.mail.findByMessageIdHeader(sent!.id, '<re@x.test>'), reply.uid);
    assert.equal(await store.mail.findByMessageIdHeader(sent!.id, '<none@x.test>'), null);
    assert.equal(await store.mail.findByMessageIdHeader(sent!.id, '<re@x.test>', { savedSince: new Date(Date.now() - 60_000) }), reply.uid);
    assert.equal(await store.mail.findByMessageIdHeader(sent!.id, '<re@x.test>', { savedSince: new Date(Date.now() + 60_000) }), null, 'saved before the window');
    const a = await store.mail.getMessageById(u.id, first.messageId, ['header']);
    const b = await store.mail.getMessageById(u.id, reply.messageId);
    const c = await store.mail.getMessageById(u.id, lone.messageId);
    assert.equal(a!.header!.messageId, '<root@x.test>');
    assert.equal(a!.threadId, b!.threadId);
    assert.notEqual(a!.threadId, c!.threadId);
    assert.equal(a!.threadId, a!.emailId, 'a conversation is named after its first message');
    assert.deepEqual(await store.mail.searchUids(sent!.id, { type: 'threadId', value: a!.threadId }), [first.uid, reply.uid]);
    assert.deepEqual(await store.mail.searchUids(sent!.id, { type: 'emailId', value: c!.emailId }), [lone.uid]);
    assert.deepEqual(await store.mail.searchUids(sent!.id, { type: 'emailId', value: 'nonsense' }), []);
    assert.equal(await store.mail.getMessageById(other.id, first.messageId), null);
    assert.equal(await store.mail.getMessageById(u.id, 'garbage'), null);
  });

  test('listMessages pages newest first with an opaque cursor', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    for (let i = 1; i <= 5; i++) await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { subject: `m${i}`, text: `text ${i}` }));
    const p1 = await store.mail.listMessages(inbox.id, { limit: 2 });
    assert.deepEqual(p1.items.map((m) => m.subject), ['m5', 'm4']);
    assert.equal(p1.items[0]!.snippet, 'text 5');
    assert.ok(p1.nextCursor);
    const p2 = await store.mail.listMessages(inbox.id, { limit: 2, cursor: p1.nextCursor });
    assert.deepEqual(p2.items.map((m) => m.subject), ['m3', 'm2']);
    const p3 = await store.mail.listMessages(inbox.id, { limit: 2, cursor: p2.nextCursor });
    assert.deepEqual(p3.items.map((m) => m.subject), ['m1']);
    assert.equal(p3.nextCursor, null);
    await assert.rejects(store.mail.listMessages(inbox.id, { cursor: 'garbage!!' }), (e) => isStoreError(e, 'invalid'));
  });

  test('concurrent appends and deliveries get distinct ascending UIDs', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const msg = await makeMessage(blobs);
    const results = await Promise.all([
      ...Array.from({ length: 20 }, () => store.mail.append(u.id, inbox.id, msg)),
      ...Array.from({ length: 20 }, () => store.mail.deliver(msg, [{ userId: u.id, mailbox: { specialUse: '\\Inbox' } }]).then((r) => r[0]!)),
    ]);
    const uids = results.map((r) => r.uid).sort((a, b) => a - b);
    assert.deepEqual(uids, Array.from({ length: 40 }, (_, i) => i + 1));
    assert.equal(new Set(results.map((r) => r.modseq)).size, 40);
    assert.deepEqual(await store.mail.listUids(inbox.id), uids);
  });

  test('UID, UIDVALIDITY, MODSEQ and messages persist across reopen', async () => {
    const harness = h();
    const u = await newUser(harness.store);
    const inbox = await inboxOf(harness.store, u);
    await harness.store.mail.append(u.id, inbox.id, await makeMessage(harness.blobs, { subject: 'persist' }));
    const before = await harness.store.mail.getMailboxStatus(inbox.id);
    const reopened = await harness.reopen();
    const after = await reopened.mail.getMailboxStatus(inbox.id);
    assert.deepEqual(after, before);
    const r = await reopened.mail.append(u.id, inbox.id, await makeMessage(harness.blobs));
    assert.equal(r.uid, 2);
    assert.equal(r.uidValidity, before.uidValidity);
    assert.ok(await reopened.users.verifyPassword(u.address, 'correct horse battery'));
  });
}
