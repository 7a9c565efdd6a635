import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Mailbox, SearchQuery, User } from '../../../domain/index.js';
import type { StoreHarness } from './harness.js';
import { inboxOf, newUser } from './harness.js';
import { makeMessage } from '../fixtures.js';

export function searchContract(h: () => StoreHarness): void {
  let u: User;
  let other: User;
  let inbox: Mailbox;

  before(async () => {
    const { store, blobs } = h();
    u = await newUser(store);
    other = await newUser(store);
    inbox = await inboxOf(store, u);
    const add = async (input: Parameters<typeof makeMessage>[1], flags: string[] = [], internalDate?: Date) =>
      store.mail.append(u.id, inbox.id, await makeMessage(blobs, input), { flags, ...(internalDate ? { internalDate } : {}) });
    // uid 1
    await add({ subject: 'Quarterly report', from: 'Alice <alice@corp.test>', to: 'team@corp.test', text: 'Revenue grew in the third quarter.', size: 1000, date: new Date('2024-01-15T10:00:00Z'), extraHeaders: 'X-Priority: 1 (Highest)\r\nList-Id: <reports.corp.test>\r\n' }, ['\\Seen'], new Date('2024-01-15T10:00:00Z'));
    // uid 2
    await add({ subject: 'Lunch?', from: 'Bob <bob@friends.test>', cc: 'carol@friends.test', text: 'Pizza at noon, café downtown', size: 200, date: new Date('2024-02-01T12:00:00Z') }, ['\\Flagged', 'Personal'], new Date('2024-02-01T12:00:00Z'));
    // uid 3
    await add({ subject: 'Invoice attached', from: 'billing@shop.test', text: 'Please find the invoice.', size: 50_000, attachments: [{ filename: 'invoice-2024.pdf', content: 'PDFDATA' }] }, [], new Date('2024-03-10T08:00:00Z'));
    // uid 4
    await add({ subject: 'Re: Quarterly report', from: 'Dave <dave@corp.test>', bcc: 'secret@corp.test', text: 'Great numbers! "quoted" stuff * star', size: 300 }, ['\\Seen', '\\Answered'], new Date('2024-03-11T09:00:00Z'));
    // other user's message with the same words: must never show up
    const oInbox = await inboxOf(store, other);
    await store.mail.append(other.id, oInbox.id, await makeMessage(blobs, { subject: 'Quarterly report', text: 'Revenue grew' }));
  });

  const uids = (q: SearchQuery) => h().store.mail.searchUids(inbox.id, q);

  test('text fields: subject, from, to, cc, bcc, body, filename, any', async () => {
    assert.deepEqual(await uids({ type: 'text', field: 'subject', value: 'quarterly' }), [1, 4]);
    assert.deepEqual(await uids({ type: 'text', field: 'subject', value: 'Quarterly report' }), [1, 4]);
    assert.deepEqual(await uids({ type: 'text', field: 'from', value: 'alice@corp.test' }), [1]);
    assert.deepEqual(await uids({ type: 'text', field: 'to', value: 'team' }), [1]);
    assert.deepEqual(await uids({ type: 'text', field: 'cc', value: 'carol' }), [2]);
    assert.deepEqual(await uids({ type: 'text', field: 'bcc', value: 'secret' }), [4]);
    assert.deepEqual(await uids({ type: 'text', field: 'body', value: 'revenue' }), [1]);
    assert.deepEqual(await uids({ type: 'text', field: 'body', value: 'cafe' }), [2], 'diacritics folded');
    assert.deepEqual(await uids({ type: 'text', field: 'filename', value: 'invoice' }), [3]);
    assert.deepEqual(await uids({ type: 'text', field: 'text', value: 'invoice' }), [3]);
    assert.deepEqual(await uids({ type: 'text', field: 'text', value: 'quart' }), [1, 4], 'prefix of the last word');
    assert.deepEqual(await uids({ type: 'text', field: 'text', value: 'nothing-like-this' }), []);
    assert.deepEqual(await uids({ type: 'text', field: 'text', value: '' }), [1, 2, 3, 4]);
  });

  test('flags, keywords, size, dates, uid, modseq, attachments, boolean operators', async () => {
    assert.deepEqual(await uids({ type: 'flag', flag: '\\Seen', present: false }), [2, 3]);
    assert.deepEqual(await uids({ type: 'flag', flag: '\\flagged', present: true }), [2]);
    assert.deepEqual(await uids({ type: 'flag', flag: 'personal', present: true }), [2]);
    assert.deepEqual(await uids({ type: 'flag', flag: 'Personal', present: false }), [1, 3, 4]);
    assert.deepEqual(await uids({ type: 'flag', flag: '\\Recent', present: true }), []);
    assert.deepEqual(await uids({ type: 'size', op: 'larger', value: 999 }), [1, 3]);
    assert.deepEqual(await uids({ type: 'size', op: 'smaller', value: 300 }), [2]);
    assert.deepEqual(await uids({ type: 'date', field: 'internal', op: 'before', value: new Date('2024-02-01T23:00:00Z') }), [1]);
    assert.deepEqual(await uids({ type: 'date', field: 'internal', op: 'on', value: new Date('2024-02-01T00:00:00Z') }), [2]);
    assert.deepEqual(await uids({ type: 'date', field: 'internal', op: 'since', value: new Date('2024-03-10T23:59:00Z') }), [3, 4]);
    assert.deepEqual(await uids({ type: 'date', field: 'sent', op: 'on', value: new Date('2024-01-15T00:00:00Z') }), [1]);
    assert.deepEqual(await uids({ type: 'uid', uids: [2, 4, 77] }), [2, 4]);
    assert.deepEqual(await uids({ type: 'hasAttachment' }), [3]);
    assert.deepEqual(await uids({ type: 'mailbox', mailboxId: inbox.id }), [1, 2, 3, 4]);
    const st = await h().store.mail.getMailboxStatus(inbox.id);
    assert.deepEqual(await uids({ type: 'modseq', min: st.highestModseq }), [4]);
    assert.deepEqual(
      await uids({ type: 'or', nodes: [{ type: 'flag', flag: '\\Flagged', present: true }, { type: 'text', field: 'subject', value: 'invoice' }] }),
      [2, 3],
    );
    assert.deepEqual(await uids({ type: 'and', nodes: [{ type: 'text', field: 'subject', value: 'quarterly' }, { type: 'not', node: { type: 'flag', flag: '\\Answered', present: true } }] }), [1]);
    assert.deepEqual(await uids({ type: 'all' }), [1, 2, 3, 4]);
    assert.deepEqual(await uids({ type: 'and', nodes: [] }), [1, 2, 3, 4]);
    assert.deepEqual(await uids({ type: 'or', nodes: [] }), []);
  });

  test('header search: name case-insensitive, substring, presence', async () => {
    assert.deepEqual(await uids({ type: 'header', name: 'x-priority', value: 'highest' }), [1]);
    assert.deepEqual(await uids({ type: 'header', name: 'List-ID', value: '' }), [1]);
    assert.deepEqual(await uids({ type: 'header', name: 'Subject', value: 'lunch' }), [2]);
    assert.deepEqual(await uids({ type: 'header', name: 'X-Missing', value: '' }), []);
  });

  test('searchMessages: across mailboxes of one user, newest first, paged', async () => {
    const { store } = h();
    const p1 = await store.mail.searchMessages(u.id, { type: 'text', field: 'text', value: 'quarterly' }, { limit: 1 });
    assert.equal(p1.items.length, 1);
    assert.equal(p1.items[0]!.subject, 'Re: Quarterly report');
    assert.ok(p1.nextCursor);
    const p2 = await store.mail.searchMessages(u.id, { type: 'text', field: 'text', value: 'quarterly' }, { limit: 1, cursor: p1.nextCursor });
    assert.equal(p2.items[0]!.subject, 'Quarterly report');
    assert.equal(p2.items[0]!.from, 'Alice <alice@corp.test>');
    assert.equal(p2.nextCursor, null);
    const all = await store.mail.searchMessages(u.id, { type: 'all' }, { limit: 100 });
    assert.equal(all.items.length, 4, 'the other user\'s message is invisible');
    const att = await store.mail.searchMessages(u.id, { type: 'hasAttachment' });
    assert.equal(att.items[0]!.hasAttachments, true);
  });

  test('hostile search input: FTS syntax and SQL are plain text, never errors or injection', async () => {
    const hostile = [
      '"', '""', '*', 'NEAR(', 'NEAR(a b)', 'a OR b', 'AND', 'NOT', '^start', 'subject:x', '{subject}: x', "'); DROP TABLE messages; --",
      '%', '_', '\\', 'x'.repeat(100_000), 'a\u0000b', '\u0000', '😀', '(((', ')', '-', ':', '"quoted"',
    ];
    for (const value of hostile) {
      for (const field of ['text', 'subject', 'body', 'from'] as const) {
        await uids({ type: 'text', field, value });
      }
      await uids({ type: 'header', name: value.slice(0, 50) || 'x', value });
      await uids({ type: 'flag', flag: value.slice(0, 50), present: true });
    }
    assert.deepEqual(await uids({ type: 'text', field: 'body', value: '"quoted"' }), [4]);
    assert.deepEqual(await uids({ type: 'text', field: 'body', value: '*' }), [4], 'punctuation-only falls back to substring');
    assert.deepEqual(await uids({ type: 'text', field: 'text', value: 'grew OR pizza' }), [], 'OR is a word, not an operator');
    assert.deepEqual(await uids({ type: 'all' }), [1, 2, 3, 4], 'nothing dropped');
  });

  test('too deep or malformed query trees are refused with invalid', async () => {
    let q: SearchQuery = { type: 'all' };
    for (let i = 0; i < 100; i++) q = { type: 'not', node: q };
    await assert.rejects(uids(q), (e: unknown) => (e as { code?: string }).code === 'invalid');
    await assert.rejects(uids({ type: 'bogus' } as unknown as SearchQuery), (e: unknown) => (e as { code?: string }).code === 'invalid');
    await assert.rejects(
      uids({ type: 'date', field: 'internal', op: 'on', value: new Date('garbage') }),
      (e: unknown) => (e as { code?: string }).code === 'invalid',
    );
  });
}
