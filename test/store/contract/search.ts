import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Mailbox, SearchQuery, User } from '../../../domain/index.js';
import type { StoreHarness } from './harness.js';
import { inboxOf, newUser } from './harness.js';
import { makeMessage } from '../fixtures.js';

type Field = Extract<SearchQuery, { type: 'text' }>['field'];
type Match = 'words' | 'substring';

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
    await add(
      {
        subject: 'Quarterly report',
        from: 'Alice <alice@corp.test>',
        to: 'team@corp.test',
        text: 'Revenue grew in the third quarter.',
        size: 2000,
        date: new Date('2024-01-15T10:00:00Z'),
        extraHeaders: 'X-Priority: 1 (Highest)\r\nList-Id: <reports.corp.test>\r\n',
      },
      ['\\Seen'],
      new Date('2024-01-15T10:00:00Z'),
    );
    // uid 2
    await add(
      { subject: 'Lunch?', from: 'Bob <bob@friends.test>', cc: 'carol@friends.test', text: 'Pizza at noon, café downtown', size: 500, date: new Date('2024-02-01T12:00:00Z') },
      ['\\Flagged', 'Personal'],
      new Date('2024-02-01T12:00:00Z'),
    );
    // uid 3
    await add(
      { subject: 'Invoice attached', from: 'billing@shop.test', text: 'Please find the invoice.', attachments: [{ filename: 'invoice-2024.pdf', content: 'PDFDATA'.repeat(300) }] },
      [],
      new Date('2024-03-10T08:00:00Z'),
    );
    // uid 4
    await add(
      { subject: 'Re: Quarterly report', from: 'Dave <dave@corp.test>', bcc: 'secret@corp.test', text: 'Great numbers! "quoted" stuff * star', size: 600 },
      ['\\Seen', '\\Answered'],
      new Date('2024-03-11T09:00:00Z'),
    );
    // other user's message with the same words: must never show up
    const oInbox = await inboxOf(store, other);
    await store.mail.append(other.id, oInbox.id, await makeMessage(blobs, { subject: 'Quarterly report', text: 'Revenue grew' }));
  });

  const uids = (q: SearchQuery) => h().store.mail.searchUids(inbox.id, q);
  const text = (field: Field, value: string, match: Match): SearchQuery => ({ type: 'text', field, value, match });

  // [field, value, words result, substring result]
  const TEXT_CASES: Array<[Field, string, number[], number[]]> = [
    ['subject', 'quarterly', [1, 4], [1, 4]],
    ['subject', 'Quarterly report', [1, 4], [1, 4]],
    ['subject', 'report quarterly', [1, 4], []],
    ['subject', 'uarterl', [], [1, 4]],
    ['subject', 're: quart', [4], [4]],
    ['from', 'alice@corp.test', [1], [1]],
    ['from', 'lice@corp', [], [1]],
    ['from', 'corp.test', [1, 4], [1, 4]],
    ['to', 'team', [1], [1]],
    ['cc', 'carol', [2], [2]],
    ['bcc', 'secret', [4], [4]],
    ['body', 'revenue', [1], [1]],
    ['body', 'cafe', [2], [2]],
    ['body', 'CAFÉ DOWN', [2], [2]],
    ['body', 'venue gre', [], [1]],
    ['body', 'revenue third', [1], []],
    ['body', '"third quarter"', [1], []],
    ['body', 'quarter.', [1], [1]],
    ['body', 'quarterly', [], []],
    ['filename', 'invoice', [3], [3]],
    ['filename', 'voice-20', [], [3]],
    ['text', 'invoice', [3], [3]],
    ['text', 'quart', [1, 4], [1, 4]],
    ['text', 'highest', [1], [1]],
    ['text', 'nothing-like-this', [], []],
    ['text', '', [1, 2, 3, 4], [1, 2, 3, 4]],
  ];

  test('text fields in both semantics: words (Gmail) and substring (IMAP)', async () => {
    for (const [field, value, words, substring] of TEXT_CASES) {
      assert.deepEqual(await uids(text(field, value, 'words')), words, `words ${field} ${JSON.stringify(value)}`);
      assert.deepEqual(await uids(text(field, value, 'substring')), substring, `substring ${field} ${JSON.stringify(value)}`);
    }
  });

  test('flags, keywords, size, dates, time, uid, modseq, attachments, boolean operators', async () => {
    assert.deepEqual(await uids({ type: 'flag', flag: '\\Seen', present: false }), [2, 3]);
    assert.deepEqual(await uids({ type: 'flag', flag: '\\flagged', present: true }), [2]);
    assert.deepEqual(await uids({ type: 'flag', flag: 'personal', present: true }), [2]);
    assert.deepEqual(await uids({ type: 'flag', flag: 'Personal', present: false }), [1, 3, 4]);
    assert.deepEqual(await uids({ type: 'flag', flag: '\\Recent', present: true }), []);
    assert.deepEqual(await uids({ type: 'size', op: 'larger', value: 999 }), [1, 3]);
    assert.deepEqual(await uids({ type: 'size', op: 'smaller', value: 600 }), [2]);
    assert.deepEqual(await uids({ type: 'date', field: 'internal', op: 'before', day: 20240201 }), [1]);
    assert.deepEqual(await uids({ type: 'date', field: 'internal', op: 'on', day: 20240201 }), [2]);
    assert.deepEqual(await uids({ type: 'date', field: 'internal', op: 'since', day: 20240310 }), [3, 4]);
    assert.deepEqual(await uids({ type: 'date', field: 'sent', op: 'on', day: 20240115 }), [1]);
    assert.deepEqual(await uids({ type: 'date', field: 'sent', op: 'before', day: 20240201 }), [1]);
    assert.deepEqual(await uids({ type: 'not', node: { type: 'date', field: 'sent', op: 'since', day: 20240201 } }), [1]);
    assert.deepEqual(await uids({ type: 'date', field: 'saved', op: 'since', day: 20200101 }), [1, 2, 3, 4], 'saved today');
    assert.deepEqual(await uids({ type: 'date', field: 'saved', op: 'before', day: 20200101 }), []);
    assert.deepEqual(await uids({ type: 'time', op: 'before', at: new Date('2024-02-01T12:00:00Z') }), [1]);
    assert.deepEqual(await uids({ type: 'time', op: 'since', at: new Date('2024-02-01T12:00:00Z') }), [2, 3, 4]);
    assert.deepEqual(await uids({ type: 'uid', uids: [2, 4, 77] }), [2, 4]);
    assert.deepEqual(await uids({ type: 'hasAttachment' }), [3]);
    assert.deepEqual(await uids({ type: 'mailbox', mailboxId: inbox.id }), [1, 2, 3, 4]);
    const st = await h().store.mail.getMailboxStatus(inbox.id);
    assert.deepEqual(await uids({ type: 'modseq', min: st.highestModseq }), [4]);
    assert.deepEqual(await uids({ type: 'or', nodes: [{ type: 'flag', flag: '\\Flagged', present: true }, text('subject', 'invoice', 'words')] }), [2, 3]);
    assert.deepEqual(
      await uids({ type: 'and', nodes: [text('subject', 'quarterly', 'substring'), { type: 'not', node: { type: 'flag', flag: '\\Answered', present: true } }] }),
      [1],
    );
    assert.deepEqual(await uids({ type: 'not', node: text('body', 'venue gre', 'substring') }), [2, 3, 4]);
    assert.deepEqual(await uids({ type: 'all' }), [1, 2, 3, 4]);
    assert.deepEqual(await uids({ type: 'and', nodes: [] }), [1, 2, 3, 4]);
    assert.deepEqual(await uids({ type: 'or', nodes: [] }), []);
  });

  test('header search: any field, name case-insensitive, substring of the value, presence', async () => {
    assert.deepEqual(await uids({ type: 'header', name: 'x-priority', value: 'highest' }), [1]);
    assert.deepEqual(await uids({ type: 'header', name: 'X-PRIORITY', value: '1 (High' }), [1]);
    assert.deepEqual(await uids({ type: 'header', name: 'List-ID', value: '' }), [1]);
    assert.deepEqual(await uids({ type: 'header', name: 'list-id', value: 'ports.corp' }), [1]);
    assert.deepEqual(await uids({ type: 'header', name: 'Subject', value: 'lunch' }), [2]);
    assert.deepEqual(await uids({ type: 'header', name: 'Subject', value: '' }), [1, 2, 3, 4]);
    assert.deepEqual(await uids({ type: 'header', name: 'Cc', value: '' }), [2]);
    assert.deepEqual(await uids({ type: 'not', node: { type: 'header', name: 'Cc', value: '' } }), [1, 3, 4]);
    assert.deepEqual(await uids({ type: 'header', name: 'X-Missing', value: '' }), []);
    assert.deepEqual(await uids({ type: 'header', name: 'Subject', value: 'priority' }), [], 'the value of that field only');
  });

  test('searchMessages: across mailboxes of one user, newest first, paged', async () => {
    const { store } = h();
    const q = text('text', 'quarterly', 'words');
    const p1 = await store.mail.searchMessages(u.id, q, { limit: 1 });
    assert.equal(p1.items.length, 1);
    assert.equal(p1.items[0]!.subject, 'Re: Quarterly report');
    assert.match(p1.items[0]!.threadId, /^[1-9][0-9]*$/);
    assert.ok(p1.nextCursor);
    const p2 = await store.mail.searchMessages(u.id, q, { limit: 1, cursor: p1.nextCursor });
    assert.equal(p2.items[0]!.subject, 'Quarterly report');
    assert.equal(p2.items[0]!.from, 'Alice <alice@corp.test>');
    assert.equal(p2.items[0]!.snippet, 'Revenue grew in the third quarter.');
    assert.equal(p2.nextCursor, null);
    const sub = await store.mail.searchMessages(u.id, text('text', 'uarterl', 'substring'), { limit: 10 });
    assert.equal(sub.items.length, 2);
    const all = await store.mail.searchMessages(u.id, { type: 'all' }, { limit: 100 });
    assert.equal(all.items.length, 4, "the other user's message is invisible");
    const att = await store.mail.searchMessages(u.id, { type: 'hasAttachment' });
    assert.equal(att.items[0]!.hasAttachments, true);
  });

  test('hostile search input: FTS syntax and SQL are plain text, never errors or injection', async () => {
    const hostile = [
      '"', '""', '*', 'NEAR(', 'NEAR(a b)', 'a OR b', 'AND', 'NOT', '^start', 'subject:x', '{subject}: x', "'); DROP TABLE messages; --",
      '%', '_', '\\', 'x'.repeat(100_000), 'a\u0000b', '\u0000', '😀', '(((', ')', '-', ':', '"quoted"', 'a'.repeat(300) + ' b',
      Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '),
    ];
    for (const value of hostile) {
      for (const field of ['text', 'subject', 'body', 'from'] as const) {
        await uids(text(field, value, 'words'));
        await uids(text(field, value, 'substring'));
      }
      await uids({ type: 'header', name: value.slice(0, 50) || 'x', value });
      await uids({ type: 'flag', flag: value.slice(0, 50), present: true });
    }
    assert.deepEqual(await uids(text('body', '"quoted"', 'words')), [4]);
    assert.deepEqual(await uids(text('body', '"quoted"', 'substring')), [4]);
    assert.deepEqual(await uids(text('body', '*', 'words')), [4], 'punctuation-only falls back to substring');
    assert.deepEqual(await uids(text('body', '* s', 'substring')), [4]);
    assert.deepEqual(await uids(text('text', 'grew OR pizza', 'words')), [], 'OR is a word, not an operator');
    assert.deepEqual(await uids({ type: 'all' }), [1, 2, 3, 4], 'nothing dropped');
  });

  test('too deep or malformed query trees are refused with invalid', async () => {
    let q: SearchQuery = { type: 'all' };
    for (let i = 0; i < 100; i++) q = { type: 'not', node: q };
    const invalid = (e: unknown) => (e as { code?: string }).code === 'invalid';
    await assert.rejects(uids(q), invalid);
    await assert.rejects(uids({ type: 'bogus' } as unknown as SearchQuery), invalid);
    await assert.rejects(uids({ type: 'date', field: 'internal', op: 'on', day: 20241340 }), invalid);
    await assert.rejects(uids({ type: 'date', field: 'sent', op: 'on', day: Number.NaN }), invalid);
    await assert.rejects(uids({ type: 'time', op: 'before', at: new Date('garbage') }), invalid);
    await assert.rejects(uids({ type: 'and', nodes: Array.from({ length: 600 }, () => ({ type: 'all' as const })) }), invalid);
  });
}
