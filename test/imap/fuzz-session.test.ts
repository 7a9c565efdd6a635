/**
 * The whole server under random and mutated command streams (fixed seed, bounded time): it must
 * never throw out of a session, and must go on serving a well-behaved client afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, PASSWORD, type Harness } from './harness.js';
import { RawSocket } from './raw-client.js';
import { rng } from '../helpers/rng.js';
import { CORPUS, mutate } from './protocol/corpus.js';

/** Commands that make sense after login, on a selected mailbox with a few messages. */
const SELECTED_CORPUS = [
  'f1 FETCH 1:* (FLAGS UID BODY.PEEK[HEADER.FIELDS (Subject)] BODYSTRUCTURE ENVELOPE BINARY.PEEK[1]<0.10> PREVIEW)',
  'f2 UID FETCH 1:*,$ (MODSEQ BODY[1.MIME] RFC822.SIZE) (CHANGEDSINCE 1)',
  's1 SEARCH OR SUBJECT NIL TEXT "x" NOT (SEEN LARGER 10)',
  's2 UID SEARCH RETURN (MIN MAX COUNT SAVE) UNDELETED',
  's3 SORT (REVERSE DATE SUBJECT) UTF-8 ALL',
  's4 THREAD REFERENCES UTF-8 ALL',
  't1 STORE 1:* +FLAGS ($Fuzz \\Flagged)',
  't2 UID STORE 1:2 (UNCHANGEDSINCE 1) -FLAGS.SILENT (\\Flagged)',
  'c1 COPY 1 Fuzz',
  'm1 UID MOVE 3 Fuzz',
  'x1 EXPUNGE',
  'l1 LIST "" *',
  'l2 LIST (SUBSCRIBED RECURSIVEMATCH) "" % RETURN (STATUS (MESSAGES))',
  'n1 NOOP',
  'i1 IDLE\r\nDONE',
  'a1 APPEND Fuzz (\\Seen) {12+}\r\nSubject: x\r\n',
  'u1 UNSELECT',
  'e1 SELECT INBOX (CONDSTORE)',
];

describe('session fuzz: mutated command streams', () => {
  let h: Harness;
  const failures: unknown[] = [];
  const onError = (err: unknown): void => {
    failures.push(err);
  };
  before(async () => {
    h = await startHarness();
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    const c = await h.client();
    await c.mailboxCreate('Fuzz');
    for (let i = 0; i < 4; i++) await c.append('INBOX', `Subject: fuzz ${i}\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\npart ${i}\r\n--b--\r\n`);
    await c.logout();
  });
  after(async () => {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
    await h.close();
  });

  test('random and mutated streams, before and after login, never crash the server', async () => {
    const r = rng(8);
    const deadline = Date.now() + 20_000;
    let rounds = 0;
    while (Date.now() < deadline && rounds < 60) {
      const s = await RawSocket.connect(h.securePort, true);
      const loggedIn = r() < 0.7;
      if (loggedIn) {
        await s.command('L', `LOGIN alice@example.test "${PASSWORD}"`);
        await s.command('S', 'SELECT INBOX');
      }
      const pool = loggedIn ? [...SELECTED_CORPUS, ...CORPUS] : CORPUS;
      for (let i = 0; i < 20 && !s.closed; i++) {
        const picks = Array.from({ length: 1 + Math.floor(r() * 4) }, () => Buffer.from(pool[Math.floor(r() * pool.length)]! + '\r\n', 'binary'));
        const stream = r() < 0.7 ? mutate(Buffer.concat(picks), r) : Buffer.concat(picks);
        s.write(stream);
        if (r() < 0.3) await new Promise((res) => setTimeout(res, 5));
      }
      if (!s.closed) {
        // A final, well-formed command shows the session is still in step (or was closed cleanly).
        s.write('\r\n' + 'z'.repeat(3) + ' NOOP\r\n');
        await s.waitFor((t) => /zzz (OK|BAD|NO)/.test(t), 10_000).catch(() => '');
      }
      s.close();
      rounds++;
    }
    assert.ok(rounds >= 5, `only ${rounds} rounds`);
    assert.deepEqual(failures, []);
    const ok = await RawSocket.connect(h.securePort, true);
    assert.match(await ok.command('L', `LOGIN alice@example.test "${PASSWORD}"`), /^L OK/);
    assert.match(await ok.command('S', 'SELECT INBOX'), /^S OK/);
    assert.match(await ok.command('N', 'NOOP'), /^N OK/);
    ok.close();
  });
});
