import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage, type ParsedMessage } from '../../../mail/mime/index.js';
import { corpusSet, type CorpusSet } from './fixtures/corpus.js';

// SEARCH and SORT inputs the parser stores (search text, sort keys), matched the way a store
// matches them (RFC 3501 6.4.4: case-insensitive substring; HEADER/FROM/TO/... look at that
// field's lines). The messages are test/mail/mime/fixtures/corpus.ts; every expected answer is
// the one a local Dovecot 2.3.19 gives for the same SEARCH or SORT command.

const all = (set: CorpusSet) => corpusSet(set).map((raw) => parseMessage(raw));
const seqs = (msgs: ParsedMessage[], pred: (m: ParsedMessage) => boolean) =>
  msgs
    .map((m, i) => (pred(m) ? i + 1 : 0))
    .filter(Boolean)
    .join(' ');
const fieldHas = (m: ParsedMessage, field: string, s: string) =>
  m.search.headers
    .split('\n')
    .filter((l) => l.toLowerCase().startsWith(`${field.toLowerCase()}: `))
    .some((l) => l.slice(field.length + 2).toLowerCase().includes(s.toLowerCase()));
const fieldPresent = (m: ParsedMessage, field: string) => m.search.headers.split('\n').some((l) => l.toLowerCase().startsWith(`${field.toLowerCase()}:`));
const bodyHas = (m: ParsedMessage, s: string) => m.search.body.toLowerCase().includes(s.toLowerCase());
const textHas = (m: ParsedMessage, s: string) => bodyHas(m, s) || m.search.headers.toLowerCase().includes(s.toLowerCase());

describe('FROM/TO/CC/BCC: whole and partial addresses and names, comments, two mailboxes, groups', () => {
  const msgs = all('addresses');
  const cases: Array<[string, string, string]> = [
    ['from', 'post-sender@harbor.example.net', '1 2 3 4 6 7'],
    ['to', 'post-rcpt@harbor.example.net', '1 2 3 4'],
    ['cc', 'post-copy@harbor.example.net', '1 2 3 4 5'],
    ['bcc', 'post-blind@harbor.example.net', '1 2 3 4'],
    ['from', 'skipper', '2 4 6 7'],
    ['to', 'bosun', '2 4'],
    ['cc', 'purser', '2 4'],
    ['bcc', 'stowaway', '2 4'],
    ['from', 'st-sen', '1 2 3 4 5 6 7'],
    ['to', 'st-rc', '1 2 3 4'],
    ['cc', 'st-co', '1 2 3 4 5'],
    ['bcc', 'st-bl', '1 2 3 4'],
    ['from', 'kippe', '2 4 6 7'],
    ['to', 'osu', '2 4'],
    ['cc', 'urse', '2 4'],
    ['bcc', 'towaw', '2 4'],
    ['from', 'post-sender.a', '5'],
    ['from', 'post-sender.b', '5'],
    ['to', 'galley', '6 7'],
    ['to', 'galley-late', '6'],
    ['to', 'cook1', '6'],
    ['to', 'cook3', '6'],
    ['to', 'cook4', ''],
  ];
  for (const [field, s, want] of cases) test(`${field.toUpperCase()} "${s}"`, () => assert.equal(seqs(msgs, (m) => fieldHas(m, field, s)), want));
  test('HEADER <field> "" matches every message that has the field', () => {
    assert.equal(seqs(msgs, (m) => fieldPresent(m, 'from')), '1 2 3 4 5 6 7');
    assert.equal(seqs(msgs, (m) => fieldPresent(m, 'to')), '1 2 3 4 6 7');
    assert.equal(seqs(msgs, (m) => fieldPresent(m, 'cc')), '1 2 3 4 5');
    assert.equal(seqs(msgs, (m) => fieldPresent(m, 'bcc')), '1 2 3 4');
  });
});

describe('TEXT, BODY, SUBJECT and HEADER substrings', () => {
  const msgs = all('bodyWords');
  test('TEXT searches every header field (non-standard ones too) and the body; BODY only the body', () => {
    assert.equal(seqs(msgs, (m) => textHas(m, 'marzipan')), '1 2');
    assert.equal(seqs(msgs, (m) => textHas(m, 'quokkas')), '1 3 4');
    assert.equal(seqs(msgs, (m) => textHas(m, 'fjordwalker')), '2 3 4');
    assert.equal(seqs(msgs, (m) => bodyHas(m, 'fjordwalker')), '4');
    assert.equal(seqs(msgs, (m) => textHas(m, 'jordwalke')), '2 3 4');
    assert.equal(seqs(msgs, (m) => bodyHas(m, 'uokka')), '1 3 4');
  });
  test('SUBJECT substrings across words; HEADER on a field given twice matches either occurrence', () => {
    const h = all('headerWords');
    for (const s of ['quiet', 'harbour', 'tonight', 'quiet harbour', 'quiet harbour lights tonight', 'uiet harbour light']) assert.equal(seqs(h, (m) => fieldHas(m, 'subject', s)), '1', s);
    assert.equal(seqs(h, (m) => fieldPresent(m, 'x-tally')), '2');
    for (const s of ['quiet', 'quiet harbour', 'arbour led', 'second']) assert.equal(seqs(h, (m) => fieldHas(m, 'x-tally', s)), '2', s);
    assert.equal(seqs(h, (m) => fieldHas(m, 'x-tally', 'ledger second')), '', 'the two occurrences are not one string');
  });
  test('issue 8: SUBJECT NIL and BODY NIL look for the text "nil" (any case), not for an absent value', () => {
    assert.equal(seqs(all('nilSubject'), (m) => fieldHas(m, 'subject', 'nil') && bodyHas(m, 'nil')), '1');
  });
});

describe("SENTON/SENTBEFORE/SENTSINCE use the Date header's own day, whatever its zone", () => {
  const msgs = all('dates');
  const day = (m: ParsedMessage) => m.sortKeys.sentDay!;
  test('around the March and October 2021 daylight-saving changes', () => {
    const march = msgs.slice(0, 7);
    assert.equal(seqs(march, (m) => day(m) === 20210328), '2 3 4 5 6');
    assert.equal(seqs(march, (m) => day(m) < 20210328), '1');
    assert.equal(seqs(march, (m) => day(m) >= 20210329), '7');
    const october = msgs.slice(7);
    assert.equal(seqs(october, (m) => day(m) === 20211031), '2 3 4 5 6 7');
    assert.equal(seqs(october, (m) => day(m) < 20211031), '1');
    assert.equal(seqs(october, (m) => day(m) >= 20211101), '8');
  });
  test('sentAt is the instant, which may fall on another UTC day', () => {
    assert.equal(msgs[0]!.sortKeys.sentAt, Date.UTC(2021, 2, 27, 22, 30, 0));
    assert.equal(msgs[1]!.sortKeys.sentAt, Date.UTC(2021, 2, 27, 23, 15, 0));
    assert.equal(msgs[4]!.sortKeys.sentAt, Date.UTC(2021, 2, 29, 3, 0, 0));
    assert.equal(msgs[11]!.sortKeys.sentAt, Date.UTC(2021, 9, 30, 17, 0, 0));
  });
});

const sortBy = (msgs: ParsedMessage[], key: (m: ParsedMessage) => string, reverse = false) =>
  msgs
    .map((m, i) => ({ k: key(m), i: i + 1 }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0) * (reverse ? -1 : 1) || a.i - b.i)
    .map((x) => x.i)
    .join(' ');

describe('SORT keys order as Dovecot sorts', () => {
  test('SUBJECT: RFC 5256 base subject under i;ascii-casemap; ties keep sequence order, reversed too', () => {
    const msgs = all('subjects');
    assert.equal(sortBy(msgs, (m) => m.sortKeys.baseSubject), '9 10 14 3 5 11 6 1 16 2 7 12 13 15 8 4');
    assert.equal(sortBy(msgs, (m) => m.sortKeys.baseSubject, true), '4 8 15 2 7 12 13 1 16 6 3 5 11 14 9 10');
    assert.deepEqual(
      msgs.map((m) => m.sortKeys.subjectIsReply),
      [false, false, false, false, true, false, true, false, false, false, true, true, true, false, true, true],
    );
  });
  test('FROM/TO/CC: the local part of the first address; domain and display name ignored; a group by its name', () => {
    const msgs = all('sortAddresses');
    for (const k of ['from', 'to', 'cc'] as const) {
      assert.equal(sortBy(msgs, (m) => m.sortKeys[k]), '4 3 1 2', k);
      assert.equal(sortBy(msgs, (m) => m.sortKeys[k], true), '1 2 3 4', k);
    }
  });
  test('DISPLAYFROM / DISPLAYTO (RFC 5957): decoded name, else the address; groups by name', () => {
    assert.equal(sortBy(all('displayFrom'), (m) => m.sortKeys.displayFrom), '3 2 4 1 5');
    assert.equal(sortBy(all('displayFrom'), (m) => m.sortKeys.displayFrom, true), '5 1 4 2 3');
    assert.equal(sortBy(all('displayTo'), (m) => m.sortKeys.displayTo), '6 8 3 2 4 1 5 7');
    assert.equal(sortBy(all('displayTo'), (m) => m.sortKeys.displayTo, true), '7 5 1 4 2 3 8 6');
  });
  test('DATE: a missing Date is null (the sorter uses the internal date)', () => {
    const msgs = all('sortDates');
    assert.equal(msgs[4]!.sortKeys.sentAt, null);
    assert.equal(msgs[6]!.sortKeys.sentAt, null);
    assert.equal(msgs[0]!.sortKeys.sentAt, Date.UTC(2020, 4, 6, 13, 0, 0));
  });
});

describe('thread inputs: Message-ID, In-Reply-To, References', () => {
  test('References lists in order, whatever the case of the Message-ID field name', () => {
    assert.deepEqual(
      all('threads').map((m) => [m.header.messageId, m.header.references]),
      [
        ['<root.1@thread.example.com>', []],
        ['<mid.2@thread.example.com>', ['<root.1@thread.example.com>', '<late.3@thread.example.com>']],
        ['<late.3@thread.example.com>', ['<mid.2@thread.example.com>']],
      ],
    );
  });
  test('a repeated Message-ID, In-Reply-To alone, References without a Message-ID', () => {
    assert.deepEqual(
      all('threadOddities').map((m) => [m.header.messageId, m.header.inReplyTo, m.header.references]),
      [
        ['<dup.1@thread.example.net>', null, []],
        ['<dup.1@thread.example.net>', null, []],
        ['<kid.2@thread.example.net>', '<dup.1@thread.example.net>', []],
        [null, null, ['<gone.9@thread.example.net>']],
        [null, null, ['<gone.9@thread.example.net>']],
      ],
    );
  });
});

describe('search text of multipart/alternative', () => {
  test('one alternative is indexed: text/plain when there is one, else the last', () => {
    const alt = (parts: string) => parseMessage(Buffer.from(`Content-Type: multipart/alternative; boundary=a\r\n\r\n${parts}--a--\r\n`));
    const plainAndHtml = alt('--a\r\nContent-Type: text/plain\r\n\r\nplain words\r\n--a\r\nContent-Type: text/html\r\n\r\n<p>html words</p>\r\n');
    assert.equal(plainAndHtml.search.body, 'plain words');
    const htmlOnly = alt('--a\r\nContent-Type: text/enriched\r\n\r\nrich\r\n--a\r\nContent-Type: text/html\r\n\r\n<p>html words</p>\r\n');
    assert.equal(htmlOnly.search.body, 'html words');
    const related = alt('--a\r\nContent-Type: text/plain\r\n\r\nplain\r\n--a\r\nContent-Type: multipart/related; boundary=r\r\n\r\n--r\r\nContent-Type: text/html\r\n\r\nrel\r\n--r--\r\n');
    assert.equal(related.search.body, 'plain');
  });
});
