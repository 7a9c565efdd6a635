import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SearchQuery } from '../../../domain/index.js';
import type { StoreHarness } from './harness.js';
import { newUser } from './harness.js';
import { makeMessage, makeRawMessage } from '../fixtures.js';
import { prepareMessage } from '../../../mail/mime/index.js';
import { CORPUS } from '../../mail/mime/fixtures/corpus.js';

/**
 * IMAP SEARCH semantics (RFC 3501 6.4.4) the store must give, on the messages of
 * test/mail/mime/fixtures/corpus.ts: whole words and substrings, header fields, addresses with
 * comments and groups, the Date header's own day, sizes with CRLF. Every expected answer is the
 * one a local Dovecot 2.3.19 gives for the same SEARCH on the same messages.
 */
type Case = [query: SearchQuery, uids: number[]];

/** A mailbox holding `raws`, made ready by the fixture builder or (`parsed`) by mail/mime itself. */
async function mailboxWith(h: () => StoreHarness, raws: string[], parsed = false): Promise<(q: SearchQuery) => Promise<number[]>> {
  const { store, blobs } = h();
  const u = await newUser(store);
  const box = await store.mail.createMailbox(u.id, `substr-${Math.random().toString(36).slice(2)}`);
  for (const raw of raws) {
    const m = parsed ? await prepareMessage(Buffer.from(raw.replace(/\r?\n/g, '\r\n')), blobs) : await makeRawMessage(blobs, raw);
    await store.mail.append(u.id, box.id, m);
  }
  return (q) => store.mail.searchUids(box.id, q);
}

async function check(search: (q: SearchQuery) => Promise<number[]>, cases: Case[]): Promise<void> {
  for (const [q, expected] of cases) assert.deepEqual(await search(q), expected, JSON.stringify(q));
}

const sub = (field: Extract<SearchQuery, { type: 'text' }>['field'], value: string): SearchQuery => ({ type: 'text', field, value, match: 'substring' });
const header = (name: string, value: string): SearchQuery => ({ type: 'header', name, value });
const not = (node: SearchQuery): SearchQuery => ({ type: 'not', node });
const sent = (op: 'before' | 'on' | 'since', day: number): SearchQuery => ({ type: 'date', field: 'sent', op, day });

export function substringContract(h: () => StoreHarness): void {
  test('TEXT covers every header field and the body, BODY only the body; whole words and substrings', async () => {
    const search = await mailboxWith(h, CORPUS.bodyWords);
    await check(search, [
      [sub('text', 'marzipan'), [1, 2]],
      [sub('text', 'quokkas'), [1, 3, 4]],
      [sub('text', 'fjordwalker'), [2, 3, 4]],
      [sub('body', 'marzipan'), [1, 2]],
      [sub('body', 'quokkas'), [1, 3, 4]],
      [sub('body', 'fjordwalker'), [4]],
      [sub('text', 'arzipa'), [1, 2]],
      [sub('text', 'uokka'), [1, 3, 4]],
      [sub('text', 'jordwalke'), [2, 3, 4]],
      [sub('body', 'arzipa'), [1, 2]],
      [sub('body', 'uokka'), [1, 3, 4]],
      [sub('body', 'jordwalke'), [4]],
    ]);
  });

  test('SUBJECT substrings across words; HEADER on any field, a repeated field matching either occurrence but not both joined', async () => {
    const search = await mailboxWith(h, CORPUS.headerWords);
    await search(sub('subject', ''));
    await check(search, [
      [sub('subject', 'quiet'), [1]],
      [sub('subject', 'harbour'), [1]],
      [sub('subject', 'tonight'), [1]],
      [sub('subject', 'quiet harbour'), [1]],
      [sub('subject', 'quiet harbour lights tonight'), [1]],
      [sub('subject', 'uiet harbour light'), [1]],
      [header('subject', ''), [1]],
      [not(header('subject', '')), [2]],
      [header('x-tally', ''), [2]],
      [not(header('x-tally', '')), [1]],
      [header('x-tally', 'quiet'), [2]],
      [header('x-tally', 'quiet harbour'), [2]],
      [header('x-tally', 'arbour led'), [2]],
      [header('x-tally', 'second'), [2]],
      [header('x-tally', 'ledger second'), []],
    ]);
  });

  test('FROM/TO/CC/BCC: whole and partial addresses and names, comments, two mailboxes, groups (parsed by mail/mime)', async () => {
    const search = await mailboxWith(h, CORPUS.addresses, true);
    await check(search, [
      [sub('from', 'post-sender@harbor.example.net'), [1, 2, 3, 4, 6, 7]],
      [sub('to', 'post-rcpt@harbor.example.net'), [1, 2, 3, 4]],
      [sub('cc', 'post-copy@harbor.example.net'), [1, 2, 3, 4, 5]],
      [sub('bcc', 'post-blind@harbor.example.net'), [1, 2, 3, 4]],
      [sub('from', 'skipper'), [2, 4, 6, 7]],
      [sub('to', 'bosun'), [2, 4]],
      [sub('cc', 'purser'), [2, 4]],
      [sub('bcc', 'stowaway'), [2, 4]],
      [header('from', ''), [1, 2, 3, 4, 5, 6, 7]],
      [header('to', ''), [1, 2, 3, 4, 6, 7]],
      [header('cc', ''), [1, 2, 3, 4, 5]],
      [header('bcc', ''), [1, 2, 3, 4]],
      [sub('from', 'st-sen'), [1, 2, 3, 4, 5, 6, 7]],
      [sub('to', 'st-rc'), [1, 2, 3, 4]],
      [sub('cc', 'st-co'), [1, 2, 3, 4, 5]],
      [sub('bcc', 'st-bl'), [1, 2, 3, 4]],
      [sub('from', 'kippe'), [2, 4, 6, 7]],
      [sub('to', 'osu'), [2, 4]],
      [sub('cc', 'urse'), [2, 4]],
      [sub('bcc', 'towaw'), [2, 4]],
      [sub('from', 'post-sender.a'), [5]],
      [sub('from', 'post-sender.b'), [5]],
      [sub('to', 'galley'), [6, 7]],
      [sub('to', 'galley-late'), [6]],
      [sub('to', 'cook1'), [6]],
      [sub('to', 'cook2'), [6]],
      [sub('to', 'cook3'), [6]],
      [sub('to', 'cook4'), []],
    ]);
  });

  test("SENTBEFORE/SENTON/SENTSINCE by the Date header's own day, offsets that cross a UTC day included", async () => {
    const search = await mailboxWith(h, CORPUS.dates);
    const first = (q: SearchQuery): SearchQuery => ({ type: 'and', nodes: [{ type: 'uid', uids: [1, 2, 3, 4, 5, 6, 7] }, q] });
    const second = (q: SearchQuery): SearchQuery => ({ type: 'and', nodes: [{ type: 'uid', uids: [8, 9, 10, 11, 12, 13, 14, 15] }, q] });
    await check(search, [
      [first(sent('before', 20210327)), []],
      [first(sent('before', 20210328)), [1]],
      [first(sent('before', 20210329)), [1, 2, 3, 4, 5, 6]],
      [first(sent('before', 20210330)), [1, 2, 3, 4, 5, 6, 7]],
      [first(sent('on', 20210326)), []],
      [first(sent('on', 20210327)), [1]],
      [first(sent('on', 20210328)), [2, 3, 4, 5, 6]],
      [first(sent('on', 20210329)), [7]],
      [first(sent('since', 20210327)), [1, 2, 3, 4, 5, 6, 7]],
      [first(sent('since', 20210328)), [2, 3, 4, 5, 6, 7]],
      [first(sent('since', 20210329)), [7]],
      [first(sent('since', 20210330)), []],
      [second(sent('before', 20211030)), []],
      [second(sent('before', 20211031)), [8]],
      [second(sent('before', 20211101)), [8, 9, 10, 11, 12, 13, 14]],
      [second(sent('on', 20211031)), [9, 10, 11, 12, 13, 14]],
      [second(sent('since', 20211031)), [9, 10, 11, 12, 13, 14, 15]],
      [second(sent('since', 20211102)), []],
      [first(not(sent('before', 20210329))), [7]],
      [first(not(sent('on', 20210328))), [1, 7]],
      [second(not(sent('since', 20211031))), [8]],
      [second(not(sent('on', 20211031))), [8, 15]],
    ]);
  });

  test('LARGER and SMALLER by RFC822.SIZE (CRLF counted)', async () => {
    const raws = CORPUS.sizes;
    const search = await mailboxWith(h, raws);
    // Messages 3 and 4 differ only in CRLF count: a store using LF file sizes would mix them up.
    const third = (await makeRawMessage(h().blobs, raws[2]!)).size;
    const small = { type: 'size', op: 'smaller', value: third } as const;
    const large = { type: 'size', op: 'larger', value: third } as const;
    await check(search, [
      [small, [1, 2]],
      [large, [4]],
      [not(small), [3, 4]],
      [not(large), [1, 2, 3]],
      [{ type: 'and', nodes: [not(small), not(large)] }, [3]],
      [{ type: 'or', nodes: [small, large] }, [1, 2, 4]],
    ]);
  });

  test('substring: across separators, inside words, case and diacritics folded, exact', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const box = await store.mail.createMailbox(u.id, 'substr');
    const texts = [
      'Contact post-sender@harbor.example.net today',
      'Contact post-sender1@harbor.example.net today',
      'Ünïcödé Straße and naïve café',
      'line one\r\nline two',
      'post sender harbor example',
    ];
    for (const text of texts) await store.mail.append(u.id, box.id, await makeMessage(blobs, { text }));
    const search = (q: SearchQuery) => store.mail.searchUids(box.id, q);
    await check(search, [
      [sub('body', 'st-sen'), [1, 2]],
      [sub('body', 'post-sender@harbor.example.net'), [1]],
      [sub('body', 'sender1@'), [2]],
      [sub('body', '@HARBOR.'), [1, 2]],
      [sub('body', 'unicode strasse'), []],
      [sub('body', 'unicode straße'), [3]],
      [sub('body', 'NAIVE CAF'), [3]],
      [sub('body', 'one line'), [4]],
      [sub('body', 'e one l'), [4]],
      [sub('body', 'sender harbor'), [5]],
      [sub('body', 't-s'), [1, 2]],
      [sub('body', 'o'), [1, 2, 3, 4, 5]],
      [sub('body', '.'), [1, 2]],
      [sub('body', 'zzz'), []],
    ]);
  });
}
