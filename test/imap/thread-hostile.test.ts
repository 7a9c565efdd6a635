/**
 * THREAD (RFC 5256 4) on mailboxes a sender shaped: a 50,000-deep reply chain, a message with
 * 100,000 References, and link patterns that made the old loop check walk the whole chain for
 * every message. The answers must have the right shape and leave other sessions served; the
 * iterative code must answer exactly as the simple recursive one (thread-oracle.ts) on ordinary
 * input. No timings are asserted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareMessage } from '../../mail/mime/index.js';
import { MAX_REFERENCES, threadResponse, type ThreadMsg } from '../../imap/commands/thread.js';
import { oracleResponse } from './thread-oracle.js';
import { startHarness, type Harness } from './harness.js';
import { exchange, type RawSocket } from './raw-client.js';

const DEPTH = 50_000;
const HUGE = 100_000;
/**
 * The chain the server test delivers: filling a mailbox costs ~4 ms a message here, so the
 * server gets a 10,000-deep chain and the algorithm tests above the full DEPTH.
 */
const SERVER_DEPTH = 10_000;

const msg = (seq: number, o: Partial<ThreadMsg> = {}): ThreadMsg => ({
  n: seq,
  seq,
  date: seq,
  subject: '',
  isReply: false,
  messageId: `<m${seq}@t>`,
  inReplyTo: null,
  references: [],
  ...o,
});

/** `(1 2 3 ... n)`: one thread, each message the only child of the one before. */
const chainAnswer = (n: number): string => `* THREAD (${Array.from({ length: n }, (_, i) => i + 1).join(' ')})\r\n`;

/** A deterministic generator (mulberry32), so a failing set can be replayed from its seed. */
function random(seed: number): (below: number) => number {
  let a = seed >>> 0;
  return (below) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

/** Ordinary-looking sets with the awkward cases mixed in: duplicate and missing ids, loops, equal dates. */
function randomSet(seed: number): ThreadMsg[] {
  const r = random(seed);
  const n = 1 + r(seed % 10 === 0 ? 300 : 40);
  const pool = 1 + r(n * 2);
  const id = (): string => `<i${r(pool)}@t>`;
  const subjects = ['', 'lunch', 'report', 'plans', 'x'];
  return Array.from({ length: n }, (_, i) => {
    const refs = r(3) === 0 ? [] : Array.from({ length: r(8) }, id);
    return msg(i + 1, {
      n: 1 + i * 3,
      date: r(4) === 0 ? 0 : r(n),
      subject: subjects[r(subjects.length)]!,
      isReply: r(2) === 0,
      messageId: r(6) === 0 ? null : id(),
      inReplyTo: r(3) === 0 ? id() : null,
      references: refs,
    });
  });
}

describe('THREAD on hostile thread shapes (algorithm)', () => {
  test('answers exactly as the recursive algorithm on 6,000 random sets, both algorithms', () => {
    for (let seed = 1; seed <= 6000; seed++) {
      const set = randomSet(seed);
      for (const algorithm of ['REFERENCES', 'ORDEREDSUBJECT'] as const) {
        assert.equal(threadResponse(set, algorithm), oracleResponse(set, algorithm), `seed ${seed} ${algorithm}`);
      }
    }
  });

  test('a 50,000-deep reply chain threads as one chain, in order and in reverse delivery order', () => {
    const forward = Array.from({ length: DEPTH }, (_, i) => msg(i + 1, { references: i ? [`<m${i}@t>`] : [] }));
    assert.equal(threadResponse(forward, 'REFERENCES'), chainAnswer(DEPTH));
    // Replies delivered before what they answer: every message meets its own reply chain.
    const reversed = forward.map((m, i) => ({ ...m, seq: DEPTH - i, n: i + 1 })).reverse();
    assert.equal(threadResponse(reversed, 'REFERENCES'), `* THREAD (${reversed.map((m) => m.n).reverse().join(' ')})\r\n`);
    // One base subject: the first message is the parent of all others (RFC 5256 4, ORDEREDSUBJECT).
    const flat = Array.from({ length: DEPTH - 1 }, (_, i) => `(${i + 2})`).join('');
    assert.equal(threadResponse(forward, 'ORDEREDSUBJECT'), `* THREAD (1 ${flat})\r\n`);
  });

  test('a chain whose every message lists all earlier ones (capped References) keeps its shape', () => {
    const n = 3000;
    const ids = Array.from({ length: n }, (_, i) => `<m${i + 1}@t>`);
    const set = Array.from({ length: n }, (_, i) => msg(i + 1, { references: ids.slice(0, i) }));
    assert.equal(threadResponse(set, 'REFERENCES'), chainAnswer(n));
  });

  test('loop checks against a deep chain do not re-walk it (each link checked from the chain bottom)', () => {
    // m1..mD a chain; then for each j, y_j makes r_j a parent, and x_j asks to hang r_j below
    // the chain's bottom: the old loop check walked all D ancestors each time.
    const d = 20_000;
    const set: ThreadMsg[] = Array.from({ length: d }, (_, i) => msg(i + 1, { references: i ? [`<m${i}@t>`] : [] }));
    for (let j = 0; j < d; j++) {
      set.push(msg(set.length + 1, { messageId: `<y${j}@t>`, references: [`<r${j}@t>`] }));
      set.push(msg(set.length + 1, { messageId: `<x${j}@t>`, references: [`<m${d}@t>`, `<r${j}@t>`] }));
    }
    const answer = threadResponse(set, 'REFERENCES');
    // Every r_j (a dummy) hangs below m_d with y_j and x_j as its children, so the pruned tree is
    // the chain with m_d parent of all y_j and x_j, in date order.
    const tail = Array.from({ length: 2 * d }, (_, k) => `(${d + 1 + k})`).join('');
    assert.equal(answer, `* THREAD (${Array.from({ length: d }, (_, i) => i + 1).join(' ')} ${tail})\r\n`);
    const small = set.filter((m) => m.seq <= 200 || (m.seq > d && m.seq <= d + 200));
    assert.equal(threadResponse(small, 'REFERENCES'), oracleResponse(small, 'REFERENCES'));
  });

  test(`a message with ${HUGE.toLocaleString('en')} References still lands below its parent`, () => {
    const junk = Array.from({ length: HUGE }, (_, i) => `<j${i}@t>`);
    const set = [msg(1), msg(2, { references: ['<m1@t>'] }), msg(3, { references: ['<m1@t>', ...junk, '<m2@t>'] }), msg(4, { references: junk.map((j) => j.replace('<j', '<k')) })];
    assert.equal(threadResponse(set, 'REFERENCES'), '* THREAD (1 2 3)(4)\r\n');
    // Up to the cap the list is used whole: the same shape as the recursive algorithm.
    const atCap = [msg(1), msg(2, { references: ['<m1@t>', ...junk.slice(0, MAX_REFERENCES - 2), '<m9@t>'] }), msg(3, { references: junk.slice(0, MAX_REFERENCES) })];
    assert.equal(threadResponse(atCap, 'REFERENCES'), oracleResponse(atCap, 'REFERENCES'));
  });
});

describe('THREAD on hostile thread shapes (server)', () => {
  let h: Harness;
  let s: RawSocket;
  before(async () => {
    h = await startHarness();
    const box = await h.store.mail.createMailbox(h.alice.id, 'Chain');
    // Delivered in batches without fsync (as bench/store-fetch.ts fills): the test is about
    // THREAD, not about paying the disk once a message.
    h.store.db.pragma('synchronous = OFF');
    for (let i = 1; i <= SERVER_DEPTH; i += 500) {
      const batch: Promise<unknown>[] = [];
      for (let j = i; j < i + 500 && j <= SERVER_DEPTH; j++) {
        const refs = j > 1 ? `In-Reply-To: <m${j - 1}@t>\r\nReferences: <m${j - 1}@t>\r\n` : '';
        const raw = `From: a@example.test\r\nTo: alice@example.test\r\nSubject: ${j > 1 ? 'Re: ' : ''}deep\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <m${j}@t>\r\n${refs}\r\n${j}\r\n`;
        batch.push(prepareMessage(Buffer.from(raw), h.blobs).then((p) => h.store.mail.deliver(p, [{ userId: h.alice.id, mailbox: { mailboxId: box.id } }])));
      }
      await Promise.all(batch);
    }
    const junk = Array.from({ length: HUGE }, (_, i) => `<j${i}@t>`).join('\r\n ');
    const huge = `From: a@example.test\r\nTo: alice@example.test\r\nSubject: Re: deep\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <huge@t>\r\nReferences: <m1@t>\r\n ${junk}\r\n <m${SERVER_DEPTH}@t>\r\n\r\nhuge\r\n`;
    await h.store.mail.deliver(await prepareMessage(Buffer.from(huge), h.blobs), [{ userId: h.alice.id, mailbox: { mailboxId: box.id } }]);
    h.store.db.pragma('synchronous = FULL');
    s = await h.raw();
    await exchange(s, 'S', 'SELECT Chain');
  });
  after(async () => {
    await h.close();
  });

  test('THREAD answers the whole chain and the huge message below its end while another session is served', async () => {
    const other = await h.raw('bob');
    const threading = exchange(s, 'A', 'THREAD REFERENCES UTF-8 ALL');
    const noop = exchange(other, 'N', 'NOOP');
    const [answer] = await Promise.all([threading, noop]);
    // One thread, a chain through every message (concurrent deliveries take UIDs in any order),
    // ending with the message of HUGE References, delivered last.
    const chain = new RegExp(`^\\* THREAD \\(([\\d ]+)\\)\\r\\nA OK`).exec(answer);
    assert.ok(chain, answer.slice(0, 200));
    const seqs = chain[1]!.split(' ').map(Number);
    assert.equal(seqs.length, SERVER_DEPTH + 1);
    assert.equal(new Set(seqs).size, SERVER_DEPTH + 1);
    assert.equal(seqs.at(-1), SERVER_DEPTH + 1);
    const fetched = await exchange(s, 'F', `FETCH ${seqs[0]},${seqs.at(-2)!} (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])`);
    assert.match(fetched, /<m1@t>/);
    assert.match(fetched, new RegExp(`<m${SERVER_DEPTH}@t>`));
    assert.match(await exchange(s, 'C', 'THREAD ORDEREDSUBJECT UTF-8 ALL'), new RegExp(`\\* THREAD \\(\\d+ (\\(\\d+\\)){${SERVER_DEPTH}}\\)\\r\\nC OK`));
    assert.match(await exchange(s, 'D', 'NOOP'), /D OK/);
  });
});
