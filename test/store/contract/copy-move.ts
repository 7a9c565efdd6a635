import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStoreError } from '../../../domain/index.js';
import type { StoreHarness } from './harness.js';
import { inboxOf, newUser } from './harness.js';
import { collect, makeMessage } from '../fixtures.js';

export function copyMoveContract(h: () => StoreHarness): void {
  test('copyMessages: UIDPLUS result, flags and content copied, storage counted', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const archive = (await store.mail.getSpecialMailbox(u.id, '\\Archive'))!;
    await store.mail.append(u.id, archive.id, await makeMessage(blobs, { size: 1000 }));
    for (let i = 1; i <= 3; i++) await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { subject: `s${i}`, size: 2000 }), { flags: i === 2 ? ['\\Seen'] : [] });
    const r = await store.mail.copyMessages(inbox.id, [3, 2, 42], archive.id);
    assert.deepEqual(r, { uidValidity: archive.uidValidity, sourceUids: [2, 3], destinationUids: [2, 3] });
    const copies = await collect(store.mail.getMessages(archive.id, [2, 3], { fields: ['header'] }));
    assert.deepEqual(copies.map((m) => [m.header!.subject, m.flags]), [['s2', ['\\Seen']], ['s3', []]]);
    assert.deepEqual(await store.mail.listUids(inbox.id), [1, 2, 3]);
    assert.equal((await store.mail.getQuota(u.id)).used, 1000 + 6000 + 4000);
    const empty = await store.mail.copyMessages(inbox.id, [99], archive.id);
    assert.deepEqual(empty.sourceUids, []);
  });

  test('moveMessages (RFC 6851): gone from source, new UIDs in target, storage unchanged', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const trash = (await store.mail.getSpecialMailbox(u.id, '\\Trash'))!;
    for (let i = 1; i <= 3; i++) await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { subject: `m${i}`, size: 500 }));
    const r = await store.mail.moveMessages(inbox.id, { start: 2, end: Infinity }, trash.id);
    assert.deepEqual(r, { uidValidity: trash.uidValidity, sourceUids: [2, 3], destinationUids: [1, 2] });
    assert.deepEqual(await store.mail.listUids(inbox.id), [1]);
    const moved = await collect(store.mail.getMessages(trash.id, { start: 1, end: Infinity }, { fields: ['header'] }));
    assert.deepEqual(moved.map((m) => m.header!.subject), ['m2', 'm3']);
    assert.equal((await store.mail.getQuota(u.id)).used, 1500);
    // Search still finds moved messages in their new mailbox.
    assert.deepEqual(await store.mail.searchUids(trash.id, { type: 'text', field: 'subject', value: 'm3', match: 'words' }), [2]);
  });

  test('copy/move to another user\'s mailbox is not_found; quota applies to copy', async () => {
    const { store, blobs } = h();
    const u = await newUser(store, { quota: 1500 });
    const other = await newUser(store);
    const inbox = await inboxOf(store, u);
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { size: 1000 }));
    const theirs = await inboxOf(store, other);
    await assert.rejects(store.mail.copyMessages(inbox.id, [1], theirs.id), (e) => isStoreError(e, 'not_found'));
    await assert.rejects(store.mail.moveMessages(inbox.id, [1], theirs.id), (e) => isStoreError(e, 'not_found'));
    const archive = (await store.mail.getSpecialMailbox(u.id, '\\Archive'))!;
    await assert.rejects(store.mail.copyMessages(inbox.id, [1], archive.id), (e) => isStoreError(e, 'quota_exceeded'));
    assert.deepEqual(await store.mail.listUids(theirs.id), []);
  });

  test('emailId stays and threadId stays across COPY and MOVE; SAVEDATE is the new save (RFC 8474, 8514)', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const archive = (await store.mail.getSpecialMailbox(u.id, '\\Archive'))!;
    const trash = (await store.mail.getSpecialMailbox(u.id, '\\Trash'))!;
    const r = await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { subject: 'ids', attachments: [{ filename: 'x', content: 'bytes' }] }), {
      internalDate: new Date('2020-05-05T00:00:00Z'),
    });
    const original = (await store.mail.getMessageById(u.id, r.messageId))!;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const copy = await store.mail.copyMessages(inbox.id, [r.uid], archive.id);
    const [copied] = await collect(store.mail.getMessages(archive.id, copy.destinationUids));
    assert.equal(copied!.emailId, original.emailId);
    assert.equal(copied!.threadId, original.threadId);
    assert.equal(copied!.internalDate.toISOString(), original.internalDate.toISOString(), 'INTERNALDATE is kept');
    assert.ok(copied!.savedAt.getTime() > original.savedAt.getTime(), 'SAVEDATE is the copy\'s');
    const moved = await store.mail.moveMessages(archive.id, copy.destinationUids, trash.id);
    const [m] = await collect(store.mail.getMessages(trash.id, moved.destinationUids, { fields: ['content'] }));
    assert.equal(m!.emailId, original.emailId);
    assert.deepEqual(await store.mail.searchUids(trash.id, { type: 'emailId', value: original.emailId }), moved.destinationUids);
    // The copy survives the original's expunge, bytes and blobs included.
    await store.mail.updateFlags(inbox.id, [r.uid], { action: 'add', flags: ['\\Deleted'] });
    await store.mail.expunge(inbox.id);
    const [again] = await collect(store.mail.getMessages(trash.id, moved.destinationUids, { fields: ['content', 'header'] }));
    assert.equal(again!.header!.subject, 'ids');
    for (const s of again!.content!) if ('blobId' in s) assert.ok(await blobs.has(s.blobId));
  });
}
