import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChangeEvent } from '../../../domain/index.js';
import type { StoreHarness } from './harness.js';
import { inboxOf, newUser } from './harness.js';
import { makeMessage } from '../fixtures.js';

export function journalContract(h: () => StoreHarness): void {
  test('every change is journaled with ascending MODSEQ and published after commit', async () => {
    const { store, blobs, notifier } = h();
    const u = await newUser(store);
    const other = await newUser(store);
    const inbox = await inboxOf(store, u);
    const seen: ChangeEvent[] = [];
    const otherSeen: ChangeEvent[] = [];
    const unsubscribe = notifier.subscribe(u.id, (e) => seen.push(e));
    const unsubscribeOther = notifier.subscribe(other.id, (e) => otherSeen.push(e));
    const start = inbox.highestModseq;
    const r = await store.mail.deliver(await makeMessage(blobs), [{ userId: u.id, mailbox: { specialUse: '\\Inbox' } }]);
    await store.mail.updateFlags(inbox.id, [1], { action: 'add', flags: ['\\Deleted'] });
    await store.mail.expunge(inbox.id);
    unsubscribe();
    unsubscribeOther();
    await store.mail.deliver(await makeMessage(blobs), [{ userId: u.id, mailbox: { specialUse: '\\Inbox' } }]);

    assert.deepEqual(seen.map((e) => e.type), ['exists', 'flags', 'expunge']);
    assert.equal(otherSeen.length, 0, 'users are isolated');
    const exists = seen[0] as Extract<ChangeEvent, { type: 'exists' }>;
    assert.equal(exists.uid, 1);
    assert.equal(exists.messageId, r[0]!.messageId);
    assert.equal(exists.modseq, r[0]!.modseq);
    // The expunge supersedes the message's flags entry in the journal (catch-up needs only the latest state).
    const changes = await store.mail.getChanges(inbox.id, start);
    assert.deepEqual(changes.map((e) => e.type), ['exists', 'expunge', 'exists']);
    const modseqs = changes.map((e) => e.modseq);
    assert.deepEqual([...modseqs].sort((a, b) => a - b), modseqs);
    assert.ok(modseqs[0]! > start);
    assert.deepEqual(await store.mail.getChanges(inbox.id, modseqs[1]!), changes.slice(2));
    assert.equal((await store.mail.getMailboxStatus(inbox.id)).highestModseq, modseqs[2]);
  });

  test('getChanges keeps only the latest flags entry per message', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs));
    await store.mail.append(u.id, inbox.id, await makeMessage(blobs));
    const start = (await store.mail.getMailboxStatus(inbox.id)).highestModseq;
    await store.mail.updateFlags(inbox.id, [1], { action: 'add', flags: ['\\Seen'] });
    await store.mail.updateFlags(inbox.id, [2], { action: 'add', flags: ['\\Seen'] });
    await store.mail.updateFlags(inbox.id, [1], { action: 'add', flags: ['\\Flagged'] });
    const changes = await store.mail.getChanges(inbox.id, start);
    assert.deepEqual(
      changes.map((e) => (e.type === 'flags' ? [e.uid, e.flags] : e.type)),
      [[2, ['\\Seen']], [1, ['\\Seen', '\\Flagged']]],
    );
  });

  test('expunge entries are kept for the life of the mailbox (QRESYNC VANISHED, RFC 7162 3.2.10)', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const trash = (await store.mail.getSpecialMailbox(u.id, '\\Trash'))!;
    for (let i = 0; i < 4; i++) await store.mail.append(u.id, inbox.id, await makeMessage(blobs));
    const start = (await store.mail.getMailboxStatus(inbox.id)).highestModseq;
    await store.mail.updateFlags(inbox.id, [1, 2], { action: 'add', flags: ['\\Deleted'] });
    await store.mail.expunge(inbox.id);
    await store.mail.moveMessages(inbox.id, [3], trash.id);
    for (let i = 0; i < 5; i++) {
      await store.mail.updateFlags(inbox.id, [4], { action: i % 2 ? 'remove' : 'add', flags: ['\\Seen'] });
      await store.mail.append(u.id, inbox.id, await makeMessage(blobs));
    }
    const changes = await store.mail.getChanges(inbox.id, start);
    const expunged = changes.filter((e) => e.type === 'expunge').map((e) => e.uid);
    assert.deepEqual(expunged, [1, 2, 3], 'expunged and moved-out UIDs stay in the journal');
    assert.equal(changes.filter((e) => e.type === 'flags' && e.uid === 4).length, 1, 'one flags entry for uid 4');
    assert.deepEqual(
      changes.filter((e) => e.type === 'flags' && (e.uid === 1 || e.uid === 2)),
      [],
      'no flags entries for expunged messages',
    );
    for (let i = 1; i < changes.length; i++) assert.ok(changes[i]!.modseq >= changes[i - 1]!.modseq, 'ascending MODSEQ');
  });

  test('a failed transaction publishes nothing', async () => {
    const { store, blobs, notifier } = h();
    const u = await newUser(store, { quota: 10 });
    const inbox = await inboxOf(store, u);
    const seen: ChangeEvent[] = [];
    const off = notifier.subscribe(u.id, (e) => seen.push(e));
    await assert.rejects(store.mail.append(u.id, inbox.id, await makeMessage(blobs, { size: 1000 })));
    off();
    assert.deepEqual(seen, []);
    assert.deepEqual(await store.mail.getChanges(inbox.id, inbox.highestModseq), []);
  });

  test('a throwing listener does not break the store or other listeners', async () => {
    const { store, blobs, notifier } = h();
    const u = await newUser(store);
    const seen: ChangeEvent[] = [];
    const off1 = notifier.subscribe(u.id, () => {
      throw new Error('listener bug');
    });
    const off2 = notifier.subscribe(u.id, (e) => seen.push(e));
    const r = await store.mail.deliver(await makeMessage(blobs), [{ userId: u.id, mailbox: { specialUse: '\\Inbox' } }]);
    off1();
    off2();
    assert.equal(r.length, 1);
    assert.equal(seen.length, 1);
  });

  test('mailbox create/rename events', async () => {
    const { store, notifier } = h();
    const u = await newUser(store);
    const seen: ChangeEvent[] = [];
    const off = notifier.subscribe(u.id, (e) => seen.push(e));
    await store.mail.createMailbox(u.id, 'Ev/Child');
    await store.mail.renameMailbox(u.id, 'Ev', 'Ev2');
    await store.mail.deleteMailbox(u.id, 'Ev2/Child');
    off();
    const m = seen.filter((e): e is Extract<ChangeEvent, { type: 'mailbox' }> => e.type === 'mailbox').map((e) => `${e.action}:${e.path}`);
    assert.deepEqual(m, ['create:Ev', 'create:Ev/Child', 'rename:Ev2', 'rename:Ev2/Child', 'delete:Ev2/Child']);
  });
}
