import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreHarness } from './harness.js';
import { inboxOf, newUser } from './harness.js';
import { makeMessage } from '../fixtures.js';

export function blobRefContract(h: () => StoreHarness): void {
  test('an identical attachment is stored once and freed with the last message', async () => {
    const { store, blobs } = h();
    const a = await newUser(store);
    const b = await newUser(store);
    const content = Buffer.from(`shared attachment ${Math.random()}`);
    const m1 = await makeMessage(blobs, { attachments: [{ filename: 'x.pdf', content }] });
    const m2 = await makeMessage(blobs, { attachments: [{ filename: 'y.pdf', content }] });
    const id = m1.blobIds[0]!;
    assert.equal(m2.blobIds[0], id, 'content addressed');
    await store.mail.deliver(m1, [
      { userId: a.id, mailbox: { specialUse: '\\Inbox' } },
      { userId: b.id, mailbox: { specialUse: '\\Inbox' } },
    ]);
    const aInbox = await inboxOf(store, a);
    const bInbox = await inboxOf(store, b);
    await store.mail.append(a.id, aInbox.id, m2);
    const archive = (await store.mail.getSpecialMailbox(a.id, '\\Archive'))!;
    await store.mail.copyMessages(aInbox.id, [1], archive.id);
    await store.mail.moveMessages(aInbox.id, [2], archive.id);

    await store.mail.updateFlags(aInbox.id, [1], { action: 'add', flags: ['\\Deleted'] });
    await store.mail.expunge(aInbox.id);
    assert.ok(await blobs.has(id));
    await store.mail.deleteMailbox(a.id, 'Archive');
    assert.ok(await blobs.has(id), 'b still holds a reference');
    await store.users.deleteUser(b.id);
    assert.equal(await blobs.has(id), false, 'freed with the last reference');
    void bInbox;
  });

  test('a blob re-delivered after being freed is referenced again', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const content = Buffer.from(`again ${Math.random()}`);
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { attachments: [{ filename: 'a', content }] }));
    await store.mail.updateFlags(inbox.id, [1], { action: 'add', flags: ['\\Deleted'] });
    await store.mail.expunge(inbox.id);
    const again = await makeMessage(blobs, { attachments: [{ filename: 'a', content }] });
    assert.ok(await blobs.has(again.blobIds[0]!));
    await store.mail.append(u.id, inbox.id, again);
    assert.ok(await blobs.has(again.blobIds[0]!));
  });
}
