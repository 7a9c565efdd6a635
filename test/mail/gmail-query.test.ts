import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseGmailQuery, GmailQueryError } from '../../mail/gmail-query/index.js';

const ctx = {
  now: new Date(Date.UTC(2026, 5, 15, 12)),
  resolveMailbox: (name: string) => ({ inbox: '1', sent: '2', spam: '4', junk: '4', 'work/projects': '9' })[name.toLowerCase()] ?? null,
};
const q = (s: string) => parseGmailQuery(s, ctx).query;

describe('Gmail query parser', () => {
  test('words and phrases are full-text terms ANDed', () => {
    assert.deepEqual(q('hello "big world"'), {
      type: 'and',
      nodes: [{ type: 'text', field: 'text', value: 'hello', match: 'words' }, { type: 'text', field: 'text', value: 'big world', match: 'words' }],
    });
  });
  test('field operators, quoted values', () => {
    assert.deepEqual(q('from:ann@example.com subject:"quarterly report"'), {
      type: 'and',
      nodes: [{ type: 'text', field: 'from', value: 'ann@example.com', match: 'words' }, { type: 'text', field: 'subject', value: 'quarterly report', match: 'words' }],
    });
  });
  test('OR, NOT and parentheses', () => {
    assert.deepEqual(q('a OR b -c (d OR -e)'), {
      type: 'and',
      nodes: [
        { type: 'or', nodes: [{ type: 'text', field: 'text', value: 'a', match: 'words' }, { type: 'text', field: 'text', value: 'b', match: 'words' }] },
        { type: 'not', node: { type: 'text', field: 'text', value: 'c', match: 'words' } },
        { type: 'or', nodes: [{ type: 'text', field: 'text', value: 'd', match: 'words' }, { type: 'not', node: { type: 'text', field: 'text', value: 'e', match: 'words' } }] },
      ],
    });
  });
  test('flags, attachments, sizes', () => {
    assert.deepEqual(q('is:unread'), { type: 'flag', flag: '\\Seen', present: false });
    assert.deepEqual(q('is:read'), { type: 'flag', flag: '\\Seen', present: true });
    assert.deepEqual(q('is:starred'), { type: 'flag', flag: '\\Flagged', present: true });
    assert.deepEqual(q('has:attachment'), { type: 'hasAttachment' });
    assert.deepEqual(q('filename:report.pdf'), { type: 'text', field: 'filename', value: 'report.pdf', match: 'words' });
    assert.deepEqual(q('larger:10K'), { type: 'size', op: 'larger', value: 10240 });
    assert.deepEqual(q('smaller:2M'), { type: 'size', op: 'smaller', value: 2 * 1024 * 1024 });
  });
  test('dates and ages', () => {
    assert.deepEqual(q('before:2026/01/31'), { type: 'date', field: 'internal', op: 'before', day: 20260131 });
    assert.deepEqual(q('after:2025/12/01'), { type: 'date', field: 'internal', op: 'since', day: 20251201 });
    assert.deepEqual(q('older_than:3d'), { type: 'time', op: 'before', at: new Date(Date.UTC(2026, 5, 12, 12)) });
    assert.deepEqual(q('newer_than:2m'), { type: 'time', op: 'since', at: new Date(Date.UTC(2026, 3, 15, 12)) });
    assert.deepEqual(q('newer_than:1y'), { type: 'time', op: 'since', at: new Date(Date.UTC(2025, 5, 15, 12)) });
  });
  test('in: resolves mailboxes; unknown mailbox matches nothing', () => {
    const r = parseGmailQuery('in:inbox', ctx);
    assert.equal(r.mentionsMailbox, true);
    assert.deepEqual(r.query, { type: 'mailbox', mailboxId: '1' });
    assert.deepEqual(q('in:"work/projects"'), { type: 'mailbox', mailboxId: '9' });
    assert.deepEqual(q('in:nowhere'), { type: 'not', node: { type: 'all' } });
    assert.equal(parseGmailQuery('hello', ctx).mentionsMailbox, false);
  });
  test('empty query is all; unknown operators are text', () => {
    assert.deepEqual(q('   '), { type: 'all' });
    assert.deepEqual(q('foo:bar'), { type: 'text', field: 'text', value: 'foo:bar', match: 'words' });
  });
  test('hostile input is a GmailQueryError, never another exception', () => {
    for (const bad of ['(', ')', 'a)', '((a)', 'OR', 'a OR', 'larger:huge', 'before:2026/02/30', 'before:yesterday',
      'older_than:5w', 'is:everything', 'from:', '('.repeat(50) + 'a' + ')'.repeat(50), 'x '.repeat(200), 'a'.repeat(3000)]) {
      assert.throws(() => q(bad), GmailQueryError, bad.slice(0, 30));
    }
    // Metacharacters are passed through as plain values: the store quotes them.
    assert.throws(() => q("'); DROP TABLE messages; --"), GmailQueryError);
    assert.deepEqual(q("'; DROP TABLE messages; --"), {
      type: 'and',
      nodes: [
        ...["';", 'DROP', 'TABLE', 'messages;'].map((value) => ({ type: 'text', field: 'text', value, match: 'words' })),
        { type: 'not', node: { type: 'text', field: 'text', value: '-', match: 'words' } },
      ],
    });
    assert.deepEqual(q('a\u0000b'), { type: 'and', nodes: [{ type: 'text', field: 'text', value: 'a', match: 'words' }, { type: 'text', field: 'text', value: 'b', match: 'words' }] });
  });
});
