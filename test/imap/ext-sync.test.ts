/**
 * Synchronisation extensions on raw commands, after their RFCs' examples: CONDSTORE and QRESYNC
 * (RFC 7162), CONTEXT=SEARCH updates (RFC 5267), NOTIFY (RFC 5465), IMAP4rev2 (RFC 9051),
 * ENABLE (RFC 5161), SASL-IR (RFC 4959), ID, NAMESPACE.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, PASSWORD, type Harness } from './harness.js';
import { exchange, RawSocket } from './raw-client.js';

describe('sync extensions', () => {
  let h: Harness;
  const sockets: RawSocket[] = [];
  const login = (): Promise<RawSocket> => h.raw();
  const append = async (s: RawSocket, box: string, subject: string, flags = ''): Promise<number> => {
    const msg = `From: ann@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@t>\r\n\r\nbody of ${subject}\r\n`;
    const out = await exchange(s, 'AP', `APPEND ${box} (${flags}) {${msg.length}+}\r\n${msg}`);
    return Number(/APPENDUID \d+ (\d+)/.exec(out)![1]);
  };
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    for (const s of sockets) s.close();
    await h.close();
  });

  test('AUTHENTICATE PLAIN with an initial response and with a continuation; ID; NAMESPACE', async () => {
    const s = await RawSocket.connect(h.securePort, true);
    sockets.push(s);
    const ir = Buffer.from(`\0alice@example.test\0${PASSWORD}`).toString('base64');
    assert.match(await exchange(s, 'A', `AUTHENTICATE PLAIN ${ir}`), /A OK \[CAPABILITY [^\]]*CONDSTORE/);
    assert.match(await exchange(s, 'I', 'ID ("name" "test")'), /\* ID \("name" "Heron" "vendor" "Heron"\)/);
    assert.match(await exchange(s, 'N', 'NAMESPACE'), /\* NAMESPACE \(\(""\s"\/"\)\) NIL NIL/);
    const t = await RawSocket.connect(h.securePort, true);
    sockets.push(t);
    t.write('B AUTHENTICATE PLAIN\r\n');
    await t.waitFor((x) => /\+ ?\r\n/.test(x));
    t.write(Buffer.from(`\0bob@example.test\0${PASSWORD}`).toString('base64') + '\r\n');
    await t.waitFor((x) => /B OK/.test(x));
    assert.match(await t.command('C', 'AUTHENTICATE PLAIN *'), /^C BAD/);
  });

  test('CONDSTORE: MODSEQ in FETCH, CHANGEDSINCE, UNCHANGEDSINCE and MODIFIED (RFC 7162 3.1)', async () => {
    const s = await login();
    await exchange(s, 'C', 'CREATE Cond');
    for (const n of ['c1', 'c2', 'c3']) await append(s, 'Cond', n);
    const sel = await exchange(s, 'S', 'SELECT Cond (CONDSTORE)');
    const high = Number(/HIGHESTMODSEQ (\d+)/.exec(sel)![1]);
    const f = await exchange(s, 'F', 'FETCH 1:3 (MODSEQ)');
    assert.equal((f.match(/MODSEQ \(\d+\)/g) ?? []).length, 3);
    const st = await exchange(s, 'T', 'STORE 2 +FLAGS (\\Flagged)');
    const m2 = Number(/MODSEQ \((\d+)\)/.exec(st)![1]);
    assert.ok(m2 > high);
    const since = await exchange(s, 'G', `FETCH 1:* (FLAGS) (CHANGEDSINCE ${high})`);
    assert.match(since, /\* 2 FETCH \(FLAGS \(\\Flagged( \\Recent)?\) MODSEQ \(\d+\)\)/);
    assert.doesNotMatch(since, /\* [13] FETCH/);
    const refused = await exchange(s, 'U', `UID STORE 1:3 (UNCHANGEDSINCE ${high}) +FLAGS.SILENT (\\Seen)`);
    assert.match(refused, /U OK \[MODIFIED 2\]/);
    // 1 and 3 changed after 2 (the UNCHANGEDSINCE store), so all three are at or above its MODSEQ.
    assert.match(await exchange(s, 'Q', `SEARCH MODSEQ ${m2}`), /\* SEARCH 1 2 3 \(MODSEQ \d+\)/);
  });

  test('QRESYNC: SELECT with known MODSEQ gives VANISHED (EARLIER) and changed flags; EXPUNGE answers VANISHED (RFC 7162 3.2)', async () => {
    const s = await login();
    await exchange(s, 'C', 'CREATE Qr');
    for (const n of ['q1', 'q2', 'q3', 'q4']) await append(s, 'Qr', n);
    assert.match(await exchange(s, 'E', 'ENABLE QRESYNC'), /\* ENABLED QRESYNC/);
    const sel = await exchange(s, 'S', 'SELECT Qr');
    const uidValidity = Number(/UIDVALIDITY (\d+)/.exec(sel)![1]);
    const modseq = Number(/HIGHESTMODSEQ (\d+)/.exec(sel)![1]);
    const other = await login();
    await exchange(other, 'S', 'SELECT Qr');
    await exchange(other, 'D', 'STORE 2 +FLAGS.SILENT (\\Deleted)');
    await exchange(other, 'X', 'EXPUNGE');
    await exchange(other, 'F', 'STORE 3 +FLAGS.SILENT (\\Answered)');
    await exchange(s, 'U', 'UNSELECT');
    const re = await exchange(s, 'R', `SELECT Qr (QRESYNC (${uidValidity} ${modseq} 1:4))`);
    assert.match(re, /\* VANISHED \(EARLIER\) 2\r\n/);
    // STORE 3 by the other session, after 2 was expunged, named UID 4.
    assert.match(re, /\* 3 FETCH \(UID 4 FLAGS \(\\Answered\) MODSEQ \(\d+\)\)/);
    const vf = await exchange(s, 'V', `UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${modseq} VANISHED)`);
    assert.match(vf, /\* VANISHED \(EARLIER\) 2\r\n/);
    await exchange(s, 'K', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
    assert.match(await exchange(s, 'X', 'EXPUNGE'), /\* VANISHED 1\r\n/);
    assert.match(await exchange(s, 'Y', 'SELECT INBOX'), /\* OK \[CLOSED\]/);
    assert.match(await exchange(s, 'Z', `SELECT Qr (QRESYNC (1 2))`), /Z OK/);
  });

  test('CONTEXT=SEARCH: SEARCH RETURN (UPDATE) follows the mailbox with ADDTO/REMOVEFROM until CANCELUPDATE (RFC 5267 4)', async () => {
    const s = await login();
    await exchange(s, 'C', 'CREATE Ctx');
    for (const n of ['x1', 'x2', 'x3']) await append(s, 'Ctx', n);
    await exchange(s, 'S', 'SELECT Ctx');
    assert.match(await exchange(s, 'A', 'SEARCH RETURN (UPDATE COUNT) SEEN'), /\* ESEARCH \(TAG "A"\) COUNT 0/);
    assert.match(await exchange(s, 'B', 'STORE 1,3 +FLAGS (\\Seen)'), /\* ESEARCH \(TAG "A"\) ADDTO \(0 1,3\)/);
    assert.match(await exchange(s, 'C2', 'STORE 1 -FLAGS (\\Seen)'), /\* ESEARCH \(TAG "A"\) REMOVEFROM \(0 1\)/);
    const other = await login();
    await exchange(other, 'S', 'SELECT Ctx');
    await exchange(other, 'T', 'STORE 2 +FLAGS (\\Seen)');
    assert.match(await exchange(s, 'N', 'NOOP'), /\* ESEARCH \(TAG "A"\) ADDTO \(0 2\)/);
    await exchange(s, 'Z', 'CANCELUPDATE "A"');
    assert.doesNotMatch(await exchange(s, 'B2', 'STORE 1 +FLAGS (\\Seen)'), /ESEARCH/);
  });

  test('NOTIFY: initial STATUS, STATUS for new mail elsewhere, immediate EXISTS for the selected mailbox (RFC 5465)', async () => {
    const s = await login();
    await exchange(s, 'C', 'CREATE Watched');
    await exchange(s, 'S', 'SELECT INBOX');
    const set = await exchange(s, 'N', 'NOTIFY SET STATUS (selected (MessageNew MessageExpunge)) (mailboxes Watched (MessageNew MessageExpunge))');
    assert.match(set, /\* STATUS "?Watched"? \(MESSAGES 0 UIDNEXT 1 UIDVALIDITY \d+\)/);
    const other = await login();
    const mark = s.length;
    await append(other, 'Watched', 'w1');
    await s.waitFor((t) => /\* STATUS "?Watched"? \(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \d+\)/.test(t.slice(mark)), 5000);
    const m2 = s.length;
    await append(other, 'INBOX', 'i1');
    await s.waitFor((t) => /\* \d+ EXISTS/.test(t.slice(m2)), 5000);
    await exchange(s, 'O', 'NOTIFY NONE');
    assert.match(await exchange(s, 'P', 'NOTIFY SET (selected (MailboxName))', 'BAD'), /BAD/);
  });

  test('IMAP4rev2: ENABLE IMAP4rev2 -> no RECENT, SEARCH answers ESEARCH, UTF-8 names (RFC 9051)', async () => {
    const s = await login();
    assert.match(await exchange(s, 'E', 'ENABLE IMAP4rev2'), /\* ENABLED IMAP4rev2/);
    await exchange(s, 'C', Buffer.from('CREATE "Entwürfe"'));
    const sel = Buffer.from(await exchange(s, 'S', Buffer.from('SELECT "Entwürfe"')), 'binary').toString('utf8');
    assert.doesNotMatch(sel, /RECENT/);
    assert.match(sel, /\* LIST \(\) "\/" "Entwürfe"/);
    const msg = 'Subject: rev2\r\n\r\nx\r\n';
    await exchange(s, 'AP', Buffer.from(`APPEND "Entwürfe" {${msg.length}+}\r\n${msg}`));
    assert.match(await exchange(s, 'Q', 'SEARCH ALL'), /\* ESEARCH \(TAG "Q"\) ALL 1/);
    const rev1 = await login();
    assert.match(await exchange(rev1, 'L', 'LIST "" Entw*'), /"Entw&APw-rfe"/);
  });

  test('IDLE: another session\'s STORE and EXPUNGE are pushed; DONE ends it (RFC 2177)', async () => {
    const s = await login();
    await exchange(s, 'C', 'CREATE IdleBox');
    for (const n of ['d1', 'd2']) await append(s, 'IdleBox', n);
    await exchange(s, 'S', 'SELECT IdleBox');
    s.write('I IDLE\r\n');
    await s.waitFor((t) => /\+ idling/.test(t));
    const other = await login();
    await exchange(other, 'S', 'SELECT IdleBox');
    const mark = s.length;
    await exchange(other, 'F', 'STORE 1 +FLAGS (\\Flagged)');
    await s.waitFor((t) => /\* 1 FETCH \(UID \d+ FLAGS \([^)]*\\Flagged/.test(t.slice(mark)), 5000);
    await exchange(other, 'D', 'STORE 2 +FLAGS.SILENT (\\Deleted)');
    await exchange(other, 'X', 'EXPUNGE');
    await s.waitFor((t) => /\* 2 EXPUNGE/.test(t.slice(mark)), 5000);
    s.write('DONE\r\n');
    await s.waitFor((t) => /I OK/.test(t));
  });
});
