import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStoreError } from '../../../domain/index.js';
import type { MessageSortCriterion, UidSelector } from '../../../domain/index.js';
import type { StoreHarness } from './harness.js';
import { inboxOf, newUser } from './harness.js';
import { collect, makeMessage } from '../fixtures.js';
import type { FixtureInput } from '../fixtures.js';

/** listFlags, sortUids and listThreadFields: the narrow whole-mailbox reads of FETCH FLAGS, SORT and THREAD. */
export function narrowReadsContract(h: () => StoreHarness): void {
  async function mailboxOf(inputs: FixtureInput[], dates: Array<Date | undefined> = []) {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    for (const [i, input] of inputs.entries()) {
      const at = dates[i];
      await store.mail.append(u.id, inbox.id, await makeMessage(blobs, input), at ? { internalDate: at } : {});
    }
    return { store, blobs, u, inbox };
  }

  test('listFlags gives uid, modseq and flags as getMessages does, in pages in uid order', async () => {
    const { store, inbox } = await mailboxOf([{}, {}, {}, {}]);
    await store.mail.updateFlags(inbox.id, [1, 3], { action: 'add', flags: ['\\Flagged', 'Todo', '\\Seen'] });
    await store.mail.updateFlags(inbox.id, [4], { action: 'add', flags: ['$Label1', '\\Draft'] });
    await store.mail.expunge(inbox.id, {}); // nothing is \Deleted: a no-op
    const full = await collect(store.mail.getMessages(inbox.id, { start: 1, end: Infinity }));
    const pages = await collect(store.mail.listFlags(inbox.id, { start: 1, end: Infinity }));
    assert.ok(pages.every((p) => p.length > 0));
    const rows = pages.flat();
    assert.deepEqual(
      rows.map((r) => [r.uid, r.modseq, [...r.flags]]),
      full.map((m) => [m.uid, m.modseq, m.flags]),
    );
    assert.deepEqual([...rows[0]!.flags], ['\\Seen', '\\Flagged', 'Todo']);
    // Without MODSEQ the same uids and flags (a store may then leave modseq out).
    const noModseq = (await collect(store.mail.listFlags(inbox.id, { start: 1, end: Infinity }, { modseq: false }))).flat();
    assert.deepEqual(noModseq.map((r) => [r.uid, [...r.flags]]), full.map((m) => [m.uid, m.flags]));
    // A list, a reversed range and CHANGEDSINCE select as getMessages does.
    assert.deepEqual((await collect(store.mail.listFlags(inbox.id, [4, 2, 9]))).flat().map((r) => r.uid), [2, 4]);
    assert.deepEqual((await collect(store.mail.listFlags(inbox.id, { start: 3, end: 2 }))).flat().map((r) => r.uid), [2, 3]);
    const since = full.find((m) => m.uid === 3)!.modseq;
    assert.deepEqual((await collect(store.mail.listFlags(inbox.id, { start: 1, end: Infinity }, { changedSince: since }))).flat().map((r) => r.uid), [4]);
    assert.deepEqual(await collect(store.mail.listFlags(inbox.id, [])), []);
    await assert.rejects(collect(store.mail.listFlags('999999', { start: 1, end: 2 })), (e) => isStoreError(e, 'not_found'));
  });

  test('listFlags reads a mailbox larger than one page', async (t) => {
    // 5,200 messages: a wire-compatible test server slows down per insert as collections grow.
    const lacks = h().backend.lacks('largeCollections');
    if (lacks) return t.skip(lacks);
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const msg = await makeMessage(blobs);
    const n = 5200;
    await store.mail.append(u.id, inbox.id, msg);
    // One delivery per message is slow on some backends: copy in doubling steps instead.
    while ((await store.mail.getMailboxStatus(inbox.id)).messages < n) {
      const have = (await store.mail.getMailboxStatus(inbox.id)).messages;
      const uids = await store.mail.listUids(inbox.id);
      await store.mail.copyMessages(inbox.id, uids.slice(0, Math.min(have, n - have)), inbox.id);
    }
    await store.mail.updateFlags(inbox.id, { start: 5000, end: 5000 }, { action: 'add', flags: ['\\Answered'] });
    const rows = (await collect(store.mail.listFlags(inbox.id, { start: 1, end: Infinity }))).flat();
    assert.equal(rows.length, n);
    assert.deepEqual(rows.map((r) => r.uid), await store.mail.listUids(inbox.id));
    assert.deepEqual([...rows.find((r) => r.uid === 5000)!.flags], ['\\Answered']);
    // CHANGEDSINCE with more than a page changed, and with a few changed (an index of its own on SQLite).
    const all = (await collect(store.mail.listFlags(inbox.id, { start: 1, end: Infinity }, { changedSince: 0 }))).flat();
    assert.deepEqual(all.map((r) => r.uid), rows.map((r) => r.uid));
    const answered = rows.find((r) => r.uid === 5000)!;
    await store.mail.updateFlags(inbox.id, { start: 7, end: 7 }, { action: 'add', flags: ['\\Flagged'] });
    const recent = (await collect(store.mail.listFlags(inbox.id, { start: 1, end: Infinity }, { changedSince: answered.modseq }))).flat();
    assert.deepEqual(recent.map((r) => [r.uid, [...r.flags]]), [[7, ['\\Flagged']]]);
  });

  test('sortUids orders by the keys in turn, REVERSE per key, ties by uid; the Date header else INTERNALDATE', async () => {
    const day = (d: number) => new Date(Date.UTC(2024, 0, d));
    const { store, inbox } = await mailboxOf(
      [
        { subject: 'Re: beta', from: 'Zed <z@x.test>', date: day(3), text: 'a' },
        { subject: 'alpha', from: 'amy@x.test', date: null, text: 'bb' },
        { subject: 'Fwd: Alpha', from: 'Bob <bob@x.test>', date: day(1), text: 'ccc' },
        { subject: 'gamma', from: 'amy@x.test', date: day(3), text: 'dddd' },
      ],
      [day(10), day(2), day(11), day(12)],
    );
    const sort = (criteria: MessageSortCriterion[], uids: UidSelector = { start: 1, end: Infinity }) => store.mail.sortUids(inbox.id, uids, criteria);
    assert.deepEqual(await sort([{ key: 'date', reverse: false }]), [3, 2, 1, 4]);
    assert.deepEqual(await sort([{ key: 'date', reverse: true }]), [1, 4, 2, 3]);
    assert.deepEqual(await sort([{ key: 'arrival', reverse: false }]), [2, 1, 3, 4]);
    assert.deepEqual(await sort([{ key: 'subject', reverse: false }]), [2, 3, 1, 4]);
    assert.deepEqual(await sort([{ key: 'subject', reverse: false }, { key: 'date', reverse: false }]), [3, 2, 1, 4]);
    assert.deepEqual(await sort([{ key: 'from', reverse: false }, { key: 'size', reverse: true }]), [4, 2, 3, 1]);
    assert.deepEqual(await sort([{ key: 'displayFrom', reverse: false }]), [3, 1, 2, 4]);
    assert.deepEqual(await sort([{ key: 'to', reverse: false }]), [1, 2, 3, 4]);
    assert.deepEqual(await sort([{ key: 'cc', reverse: true }, { key: 'displayTo', reverse: false }]), [1, 2, 3, 4]);
    assert.deepEqual(await sort([]), [1, 2, 3, 4]);
    // Only the selected messages that exist; a reversed range is a range.
    assert.deepEqual(await sort([{ key: 'date', reverse: false }], [1, 3, 99]), [3, 1]);
    assert.deepEqual(await sort([{ key: 'date', reverse: false }], Array.from({ length: 600 }, (_, i) => i * 2 + 1)), [3, 1]);
    assert.deepEqual(await sort([{ key: 'date', reverse: false }], { start: 3, end: 2 }), [3, 2]);
    assert.deepEqual(await sort([{ key: 'date', reverse: false }], []), []);
    await assert.rejects(sort([{ key: 'bogus' as never, reverse: false }]), (e) => isStoreError(e, 'invalid'));
    await assert.rejects(store.mail.sortUids('999999', [1], []), (e) => isStoreError(e, 'not_found'));
  });

  test('sortUids compares strings by code point', async () => {
    const { store, inbox } = await mailboxOf([{ subject: '\u{1F600} smile' }, { subject: '\uFF21 wide' }, { subject: 'plain' }]);
    assert.deepEqual(await store.mail.sortUids(inbox.id, { start: 1, end: Infinity }, [{ key: 'subject', reverse: false }]), [3, 2, 1]);
  });

  test('listThreadFields gives the ids, base subject and SORT date, in uid order', async () => {
    const { store, blobs, u, inbox } = await mailboxOf(
      [
        { subject: 'Plan', messageId: '<a@x.test>', date: new Date(Date.UTC(2024, 1, 1)) },
        { subject: 'Re: Plan', messageId: '<b@x.test>', inReplyTo: '<a@x.test>', references: ['<a@x.test>'], date: null },
        { subject: 'other', messageId: null },
      ],
      [undefined, new Date(Date.UTC(2024, 1, 5))],
    );
    // The header summary may hold other values than the envelope's raw ones.
    const odd = await makeMessage(blobs, { subject: 'Re: Plan', messageId: '<raw@x.test>', inReplyTo: '<raw-parent@x.test>' });
    odd.header.messageId = '<c@x.test>';
    odd.header.inReplyTo = '<b@x.test>';
    await store.mail.append(u.id, inbox.id, odd);
    const all = await store.mail.listThreadFields(inbox.id, { start: 1, end: Infinity });
    assert.deepEqual(all, [
      { uid: 1, messageId: '<a@x.test>', inReplyTo: null, references: [], baseSubject: 'plan', subjectIsReply: false, date: Date.UTC(2024, 1, 1) },
      { uid: 2, messageId: '<b@x.test>', inReplyTo: '<a@x.test>', references: ['<a@x.test>'], baseSubject: 'plan', subjectIsReply: true, date: Date.UTC(2024, 1, 5) },
      { uid: 3, messageId: null, inReplyTo: null, references: [], baseSubject: 'other', subjectIsReply: false, date: Date.UTC(2024, 2, 10, 12) },
      { uid: 4, messageId: '<c@x.test>', inReplyTo: '<b@x.test>', references: [], baseSubject: 'plan', subjectIsReply: true, date: Date.UTC(2024, 2, 10, 12) },
    ]);
    assert.deepEqual((await store.mail.listThreadFields(inbox.id, [2, 4, 7])).map((f) => f.uid), [2, 4]);
    assert.deepEqual((await store.mail.listThreadFields(inbox.id, { start: 4, end: 3 })).map((f) => f.uid), [3, 4]);
    assert.deepEqual(await store.mail.listThreadFields(inbox.id, []), []);
    await assert.rejects(store.mail.listThreadFields('999999', [1]), (e) => isStoreError(e, 'not_found'));
  });
}
