import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStoreError } from '../../../domain/index.js';
import type { StoreHarness } from './harness.js';
import { inboxOf, newUser } from './harness.js';
import { makeMessage } from '../fixtures.js';

export function mailboxStateContract(h: () => StoreHarness): void {
  test('subscriptions are names: kept apart from mailboxes, outlive them, may precede them (RFC 5258)', async () => {
    const { store } = h();
    const u = await newUser(store);
    const defaults = await store.mail.listSubscriptions(u.id);
    assert.ok(defaults.includes('INBOX'), 'the default mailboxes are subscribed');
    await store.mail.createMailbox(u.id, 'Lists/Rust', { subscribed: false });
    assert.equal((await store.mail.getMailbox(u.id, 'Lists/Rust'))!.subscribed, false);
    assert.equal((await store.mail.getMailbox(u.id, 'Lists'))!.subscribed, false, 'implicit parents are not subscribed');
    await store.mail.setSubscribed(u.id, 'Lists/Rust', true);
    assert.equal((await store.mail.getMailbox(u.id, 'Lists/Rust'))!.subscribed, true);
    await store.mail.setSubscribed(u.id, 'Not/Yet', true);
    assert.ok((await store.mail.listSubscriptions(u.id)).includes('Not/Yet'), 'a name with no mailbox');
    await store.mail.createMailbox(u.id, 'Not/Yet', { subscribed: false });
    assert.equal((await store.mail.getMailbox(u.id, 'Not/Yet'))!.subscribed, true, 'the existing subscription counts');
    await store.mail.deleteMailbox(u.id, 'Lists/Rust');
    assert.ok((await store.mail.listSubscriptions(u.id)).includes('Lists/Rust'), 'outlives its mailbox (\\NonExistent)');
    await store.mail.setSubscribed(u.id, 'Lists/Rust', false);
    await store.mail.setSubscribed(u.id, 'Lists/Rust', false);
    assert.ok(!(await store.mail.listSubscriptions(u.id)).includes('Lists/Rust'));
    await store.mail.createMailbox(u.id, 'Old', { subscribed: true });
    await store.mail.renameMailbox(u.id, 'Old', 'New');
    const subs = await store.mail.listSubscriptions(u.id);
    assert.ok(subs.includes('New') && !subs.includes('Old'), 'RENAME takes the subscription along');
    assert.equal((await store.mail.getMailbox(u.id, 'New'))!.subscribed, true);
    await assert.rejects(store.mail.setSubscribed(u.id, 'bad*name', true), (e) => isStoreError(e, 'invalid'));
    const other = await newUser(store);
    assert.ok(!(await store.mail.listSubscriptions(other.id)).includes('Not/Yet'), 'per user');
  });

  test('listKeywords: keywords in use in the mailbox, case-insensitively once', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    assert.deepEqual(await store.mail.listKeywords(inbox.id), []);
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs), { flags: ['\\Seen', 'Work', '$Label1'] });
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs), { flags: ['work', 'Todo'] });
    assert.deepEqual(await store.mail.listKeywords(inbox.id), ['$Label1', 'Todo', 'Work']);
    await store.mail.updateFlags(inbox.id, [1, 2], { action: 'remove', flags: ['work', 'Todo'] });
    assert.deepEqual(await store.mail.listKeywords(inbox.id), ['$Label1']);
    await assert.rejects(store.mail.listKeywords('999999'), (e) => isStoreError(e, 'not_found'));
  });

  test('claimRecent (RFC 3501 \\Recent): the first claimant gets the new UIDs, the next none', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    for (let i = 0; i < 3; i++) await store.mail.append(u.id, inbox.id, await makeMessage(blobs));
    assert.equal((await store.mail.getMailboxStatus(inbox.id)).recent, 3);
    assert.equal(await store.mail.claimRecent(inbox.id, 3), 0, 'session A: UIDs 1..3 are recent to it');
    assert.equal(await store.mail.claimRecent(inbox.id, 3), 3, 'session B: nothing recent');
    assert.equal((await store.mail.getMailboxStatus(inbox.id)).recent, 0);
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs));
    assert.equal((await store.mail.getMailboxStatus(inbox.id)).recent, 1);
    const claims = await Promise.all([store.mail.claimRecent(inbox.id, 4), store.mail.claimRecent(inbox.id, 4)]);
    assert.deepEqual(claims.sort(), [3, 4], 'exactly one concurrent claimant gets UID 4');
    assert.equal(await store.mail.claimRecent(inbox.id, 2), 4, 'never lowered');
    assert.equal(await store.mail.claimRecent(inbox.id, 1000), 4, 'never past UIDNEXT-1');
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs));
    assert.equal((await store.mail.getMailboxStatus(inbox.id)).recent, 1);
  });

  test('getMailboxStatus: messages, unseen, recent, deleted, size, uidnext, highestmodseq', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const empty = await store.mail.getMailboxStatus(inbox.id);
    assert.deepEqual({ ...empty, uidValidity: 0, highestModseq: 0 }, { messages: 0, unseen: 0, uidNext: 1, uidValidity: 0, highestModseq: 0, size: 0, recent: 0, deleted: 0 });
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { size: 1000 }), { flags: ['\\Seen'] });
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { size: 2000 }), { flags: ['\\Deleted'] });
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { size: 3000 }));
    const st = await store.mail.getMailboxStatus(inbox.id);
    assert.equal(st.messages, 3);
    assert.equal(st.unseen, 2);
    assert.equal(st.deleted, 1);
    assert.equal(st.recent, 3);
    assert.equal(st.size, 6000);
    assert.equal(st.uidNext, 4);
    assert.equal(st.highestModseq, (await inboxOf(store, u)).highestModseq);
    await store.mail.expunge(inbox.id);
    const after = await store.mail.getMailboxStatus(inbox.id);
    assert.deepEqual([after.messages, after.deleted, after.size, after.recent], [2, 0, 4000, 2]);
  });

  test('urlAuthGeneration (RFC 4467): stable until RESETKEY starts a new one', async () => {
    const { store } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const g1 = await store.mail.urlAuthGeneration(inbox.id);
    assert.equal(await store.mail.urlAuthGeneration(inbox.id), g1);
    const g2 = await store.mail.urlAuthGeneration(inbox.id, { reset: true });
    assert.notEqual(g2, g1);
    assert.equal(await store.mail.urlAuthGeneration(inbox.id), g2);
    const reopened = await h().reopen();
    assert.equal(await reopened.mail.urlAuthGeneration(inbox.id), g2, 'durable');
    await assert.rejects(reopened.mail.urlAuthGeneration('999999'), (e) => isStoreError(e, 'not_found'));
  });
}
