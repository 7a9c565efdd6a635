import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStoreError } from '../../../domain/index.js';
import type { StoreHarness } from './harness.js';
import { inboxOf, newUser } from './harness.js';
import { collect, makeMessage } from '../fixtures.js';

export function flagsExpungeContract(h: () => StoreHarness): void {
  async function mailboxWith(n: number) {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const msg = await makeMessage(blobs);
    for (let i = 0; i < n; i++) await store.mail.append(u.id, inbox.id, msg);
    return { store, u, inbox };
  }

  test('updateFlags add/remove/set, case-insensitive system flags, \\Recent ignored', async () => {
    const { store, inbox } = await mailboxWith(3);
    let r = await store.mail.updateFlags(inbox.id, { start: 1, end: 2 }, { action: 'add', flags: ['\\SEEN', 'Todo'] });
    assert.deepEqual(r.updated.map((x) => [x.uid, x.flags]), [[1, ['\\Seen', 'Todo']], [2, ['\\Seen', 'Todo']]]);
    assert.equal(r.updated[0]!.modseq, r.updated[1]!.modseq);
    r = await store.mail.updateFlags(inbox.id, [2], { action: 'remove', flags: ['todo'] });
    assert.deepEqual(r.updated[0]!.flags, ['\\Seen']);
    r = await store.mail.updateFlags(inbox.id, [3], { action: 'set', flags: ['\\Flagged', '\\Recent', '$Label1'] });
    assert.deepEqual(r.updated[0]!.flags, ['\\Flagged', '$Label1']);
    const recs = await collect(store.mail.getMessages(inbox.id, { start: 1, end: Infinity }));
    assert.deepEqual(recs.map((m) => m.flags), [['\\Seen', 'Todo'], ['\\Seen'], ['\\Flagged', '$Label1']]);
    assert.equal((await store.mail.getMailboxStatus(inbox.id)).unseen, 1);
  });

  test('a STORE that changes nothing does not bump MODSEQ', async () => {
    const { store, inbox } = await mailboxWith(1);
    await store.mail.updateFlags(inbox.id, [1], { action: 'add', flags: ['\\Seen'] });
    const hi = (await store.mail.getMailboxStatus(inbox.id)).highestModseq;
    const r = await store.mail.updateFlags(inbox.id, [1], { action: 'add', flags: ['\\seen'] });
    assert.deepEqual(r, { updated: [], modified: [] });
    assert.equal((await store.mail.getMailboxStatus(inbox.id)).highestModseq, hi);
  });

  test('UNCHANGEDSINCE refuses messages modified later (RFC 7162 3.1.3)', async () => {
    const { store, inbox } = await mailboxWith(2);
    const base = (await store.mail.getMailboxStatus(inbox.id)).highestModseq;
    await store.mail.updateFlags(inbox.id, [2], { action: 'add', flags: ['\\Answered'] });
    const r = await store.mail.updateFlags(inbox.id, [1, 2], { action: 'add', flags: ['\\Flagged'], unchangedSince: base });
    assert.deepEqual(r.modified, [2]);
    assert.deepEqual(r.updated.map((x) => x.uid), [1]);
    const [, m2] = await collect(store.mail.getMessages(inbox.id, [1, 2]));
    assert.deepEqual(m2!.flags, ['\\Answered']);
  });

  test('invalid flags are refused with invalid', async () => {
    const { store, inbox } = await mailboxWith(1);
    for (const bad of ['\\Bogus', 'has space', 'paren(', '', 'x'.repeat(500), 'nul\u0000']) {
      await assert.rejects(store.mail.updateFlags(inbox.id, [1], { action: 'add', flags: [bad] }), (e) => isStoreError(e, 'invalid'), JSON.stringify(bad.slice(0, 10)));
    }
    const many = Array.from({ length: 100 }, (_, i) => `k${i}`);
    await assert.rejects(store.mail.updateFlags(inbox.id, [1], { action: 'set', flags: many }), (e) => isStoreError(e, 'invalid'));
    await assert.rejects(store.mail.updateFlags('999999', [1], { action: 'add', flags: ['\\Seen'] }), (e) => isStoreError(e, 'not_found'));
  });

  test('expunge removes only \\Deleted; UID EXPUNGE limits to the set; UIDs never re-used', async () => {
    const { store, u, inbox } = await mailboxWith(4);
    await store.mail.updateFlags(inbox.id, [1, 2, 4], { action: 'add', flags: ['\\Deleted'] });
    assert.deepEqual(await store.mail.expunge(inbox.id, { uids: [2, 3, 4] }), [2, 4]);
    assert.deepEqual(await store.mail.listUids(inbox.id), [1, 3]);
    assert.deepEqual(await store.mail.expunge(inbox.id), [1]);
    assert.deepEqual(await store.mail.expunge(inbox.id), []);
    assert.deepEqual(await store.mail.listUids(inbox.id), [3]);
    const r = await store.mail.append(u.id, inbox.id, await makeMessage(h().blobs));
    assert.equal(r.uid, 5);
    const st = await store.mail.getMailboxStatus(inbox.id);
    assert.equal(st.messages, 2);
  });
}
