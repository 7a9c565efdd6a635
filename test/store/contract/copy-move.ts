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
    await store.mail.append(u.id, archive.id, await makeMessage(blobs, { size: 10 }));
    for (let i = 1; i <= 3; i++) await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { subject: `s${i}`, size: 100 }), { flags: i === 2 ? ['\\Seen'] : [] });
    const r = await store.mail.copyMessages(inbox.id, [3, 2, 42], archive.id);
    assert.deepEqual(r, { uidValidity: archive.uidValidity, sourceUids: [2, 3], destinationUids: [2, 3] });
    const copies = await collect(store.mail.getMessages(archive.id, [2, 3], { fields: ['header', 'text'] }));
    assert.deepEqual(copies.map((m) => [m.header!.subject, m.flags]), [['s2', ['\\Seen']], ['s3', []]]);
    assert.deepEqual(await store.mail.listUids(inbox.id), [1, 2, 3]);
    assert.equal((await store.mail.getQuota(u.id)).used, 10 + 300 + 200);
    const empty = await store.mail.copyMessages(inbox.id, [99], archive.id);
    assert.deepEqual(empty.sourceUids, []);
  });

  test('moveMessages (RFC 6851): gone from source, new UIDs in target, storage unchanged', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const trash = (await store.mail.getSpecialMailbox(u.id, '\\Trash'))!;
    for (let i = 1; i <= 3; i++) await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { subject: `m${i}`, size: 50 }));
    const r = await store.mail.moveMessages(inbox.id, { start: 2, end: Infinity }, trash.id);
    assert.deepEqual(r, { uidValidity: trash.uidValidity, sourceUids: [2, 3], destinationUids: [1, 2] });
    assert.deepEqual(await store.mail.listUids(inbox.id), [1]);
    const moved = await collect(store.mail.getMessages(trash.id, { start: 1, end: Infinity }, { fields: ['header'] }));
    assert.deepEqual(moved.map((m) => m.header!.subject), ['m2', 'm3']);
    assert.equal((await store.mail.getQuota(u.id)).used, 150);
    // Search still finds moved messages in their new mailbox.
    assert.deepEqual(await store.mail.searchUids(trash.id, { type: 'text', field: 'subject', value: 'm3' }), [2]);
  });

  test('copy/move to another user\'s mailbox is not_found; quota applies to copy', async () => {
    const { store, blobs } = h();
    const u = await newUser(store, { quota: 150 });
    const other = await newUser(store);
    const inbox = await inboxOf(store, u);
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { size: 100 }));
    const theirs = await inboxOf(store, other);
    await assert.rejects(store.mail.copyMessages(inbox.id, [1], theirs.id), (e) => isStoreError(e, 'not_found'));
    await assert.rejects(store.mail.moveMessages(inbox.id, [1], theirs.id), (e) => isStoreError(e, 'not_found'));
    const archive = (await store.mail.getSpecialMailbox(u.id, '\\Archive'))!;
    await assert.rejects(store.mail.copyMessages(inbox.id, [1], archive.id), (e) => isStoreError(e, 'quota_exceeded'));
    assert.deepEqual(await store.mail.listUids(theirs.id), []);
  });
}
