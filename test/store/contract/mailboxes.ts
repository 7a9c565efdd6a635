import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStoreError } from '../../../domain/index.js';
import type { StoreHarness } from './harness.js';
import { inboxOf, newUser } from './harness.js';
import { collect, makeMessage } from '../fixtures.js';

export function mailboxContract(h: () => StoreHarness): void {
  test('getMailbox: INBOX in any case; null for unknown and for invalid names', async () => {
    const { store } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    assert.equal((await store.mail.getMailbox(u.id, 'inbox'))?.id, inbox.id);
    assert.equal((await store.mail.getMailbox(u.id, 'InBoX'))?.path, 'INBOX');
    assert.equal(await store.mail.getMailbox(u.id, 'Nope'), null);
    assert.equal(await store.mail.getMailbox(u.id, 'a//b'), null);
    assert.equal((await store.mail.getMailboxById(u.id, inbox.id))?.path, 'INBOX');
  });

  test('createMailbox creates missing parents; already_exists; invalid names', async () => {
    const { store } = h();
    const u = await newUser(store);
    const mb = await store.mail.createMailbox(u.id, 'Projects/2024/Q1');
    assert.equal(mb.path, 'Projects/2024/Q1');
    assert.ok(await store.mail.getMailbox(u.id, 'Projects'));
    assert.ok(await store.mail.getMailbox(u.id, 'Projects/2024'));
    await assert.rejects(store.mail.createMailbox(u.id, 'Projects/2024/Q1'), (e) => isStoreError(e, 'already_exists'));
    await assert.rejects(store.mail.createMailbox(u.id, 'inbox'), (e) => isStoreError(e, 'already_exists'));
    for (const bad of ['', '/', 'a//b', 'a/', '/a', 'x\u0000y', 'x*', 'x%', 'a'.repeat(2000)]) {
      await assert.rejects(store.mail.createMailbox(u.id, bad), (e) => isStoreError(e, 'invalid'), JSON.stringify(bad.slice(0, 20)));
    }
    const inboxChild = await store.mail.createMailbox(u.id, 'inbox/Sub');
    assert.equal(inboxChild.path, 'INBOX/Sub');
  });

  test('UIDVALIDITY is new when a name is re-created', async () => {
    const { store } = h();
    const u = await newUser(store);
    const a = await store.mail.createMailbox(u.id, 'Again');
    await store.mail.deleteMailbox(u.id, 'Again');
    const b = await store.mail.createMailbox(u.id, 'Again');
    assert.notEqual(a.uidValidity, b.uidValidity);
    assert.ok(b.uidValidity > 0 && b.uidValidity < 2 ** 32);
  });

  test('renameMailbox renames children and keeps UIDVALIDITY and messages', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const top = await store.mail.createMailbox(u.id, 'Work');
    await store.mail.createMailbox(u.id, 'Work/Clients/Big');
    await store.mail.append(u.id, top.id, await makeMessage(blobs, { subject: 'kept' }));
    const renamed = await store.mail.renameMailbox(u.id, 'Work', 'Job/Now');
    assert.equal(renamed.id, top.id);
    assert.equal(renamed.path, 'Job/Now');
    assert.equal(renamed.uidValidity, top.uidValidity);
    assert.ok(await store.mail.getMailbox(u.id, 'Job'));
    assert.ok(await store.mail.getMailbox(u.id, 'Job/Now/Clients/Big'));
    assert.equal(await store.mail.getMailbox(u.id, 'Work/Clients'), null);
    assert.deepEqual(await store.mail.listUids(top.id), [1]);
    await assert.rejects(store.mail.renameMailbox(u.id, 'Missing', 'X'), (e) => isStoreError(e, 'not_found'));
    await assert.rejects(store.mail.renameMailbox(u.id, 'Job', 'Sent'), (e) => isStoreError(e, 'already_exists'));
    await assert.rejects(store.mail.renameMailbox(u.id, 'Job', 'Job/Inner'), (e) => isStoreError(e, 'invalid'));
  });

  test('renaming INBOX moves its messages to the new mailbox and keeps INBOX (RFC 3501 6.3.5)', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    await store.mail.deliver(await makeMessage(blobs, { subject: 'one' }), [{ userId: u.id, mailbox: { specialUse: '\\Inbox' } }]);
    await store.mail.deliver(await makeMessage(blobs, { subject: 'two' }), [{ userId: u.id, mailbox: { specialUse: '\\Inbox' } }]);
    const old = await store.mail.renameMailbox(u.id, 'INBOX', 'Old Inbox');
    assert.equal(old.path, 'Old Inbox');
    assert.notEqual(old.id, inbox.id);
    assert.deepEqual(await store.mail.listUids(old.id), [1, 2]);
    assert.deepEqual(await store.mail.listUids(inbox.id), []);
    const stillInbox = await inboxOf(store, u);
    assert.equal(stillInbox.id, inbox.id);
    assert.equal(stillInbox.uidNext, 3, 'UIDs are never re-used');
    const msgs = await collect(store.mail.getMessages(old.id, { start: 1, end: Infinity }, { fields: ['header'] }));
    assert.deepEqual(msgs.map((m) => m.header?.subject), ['one', 'two']);
  });

  test('deleteMailbox: cannot_delete for INBOX, not_found, and messages go', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    await assert.rejects(store.mail.deleteMailbox(u.id, 'inbox'), (e) => isStoreError(e, 'cannot_delete'));
    await assert.rejects(store.mail.deleteMailbox(u.id, 'Nope'), (e) => isStoreError(e, 'not_found'));
    const mb = await store.mail.createMailbox(u.id, 'Temp');
    const msg = await makeMessage(blobs, { size: 500 });
    await store.mail.append(u.id, mb.id, msg);
    assert.equal((await store.mail.getQuota(u.id)).used, 500);
    await store.mail.deleteMailbox(u.id, 'Temp');
    assert.equal(await store.mail.getMailbox(u.id, 'Temp'), null);
    assert.equal((await store.mail.getQuota(u.id)).used, 0);
    await assert.rejects(store.mail.getMailboxStatus(mb.id), (e) => isStoreError(e, 'not_found'));
  });

  test('setSubscribed and subscribed on create', async () => {
    const { store } = h();
    const u = await newUser(store);
    const mb = await store.mail.createMailbox(u.id, 'Quiet', { subscribed: false });
    assert.equal(mb.subscribed, false);
    await store.mail.setSubscribed(u.id, 'Quiet', true);
    assert.equal((await store.mail.getMailbox(u.id, 'Quiet'))?.subscribed, true);
    await assert.rejects(store.mail.setSubscribed('999999', 'Quiet', true), (e) => isStoreError(e, 'not_found'));
  });

  test('getMailboxStatus counts messages, unseen and size', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { size: 1000 }), { flags: ['\\Seen'] });
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { size: 2000 }));
    const st = await store.mail.getMailboxStatus(inbox.id);
    assert.deepEqual({ messages: st.messages, unseen: st.unseen, size: st.size, uidNext: st.uidNext }, { messages: 2, unseen: 1, size: 3000, uidNext: 3 });
    assert.equal(st.uidValidity, inbox.uidValidity);
    assert.ok(st.highestModseq > inbox.highestModseq);
  });
}
