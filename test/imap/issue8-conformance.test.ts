/**
 * Issue 8, "Why": the conformance failures imaptest found in the old server, one test each, on
 * raw commands so the exact responses are checked.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareMessage } from '../../mail/mime/index.js';
import { startHarness, type Harness } from './harness.js';
import { exchange, type RawSocket } from './raw-client.js';

const NESTED = [
  'From: Outer <outer@example.test>',
  'To: alice@example.test',
  'Subject: outer',
  'Date: Mon, 1 Jan 2024 23:30:00 -0500',
  'X-Custom-Tag: zebra-stripes',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain',
  '',
  'the outer body mentions driftwood',
  '--b1',
  'Content-Type: message/rfc822',
  'Content-Description: forwarded',
  '',
  'From: Inner <inner@example.test>',
  'Subject: inner',
  'Content-Type: text/plain',
  '',
  'the inner body',
  '--b1--',
  '',
].join('\r\n');

const NO_SUBJECT = 'From: nobody@example.test\r\nTo: alice@example.test\r\n\r\nno subject here\r\n';

describe('issue 8: conformance failures of the old server', () => {
  let h: Harness;
  const session = (): Promise<RawSocket> => h.raw();
  const answer = (s: RawSocket, tag: string, cmd: string): Promise<string> => exchange(s, tag, cmd);
  const deliver = async (raw: string, box = 'Conf'): Promise<number> => {
    const prepared = await prepareMessage(Buffer.from(raw, 'binary'), h.blobs);
    const mb = (await h.store.mail.getMailbox(h.alice.id, box))!;
    return (await h.store.mail.append(h.alice.id, mb.id, prepared, {})).uid;
  };

  before(async () => {
    h = await startHarness();
    await h.store.mail.createMailbox(h.alice.id, 'Conf');
    await deliver(NESTED);
    await deliver(NO_SUBJECT);
  });
  after(async () => {
    await h.close();
  });

  test('sequence sets with `*` first or reversed; unquoted LIST wildcards', async () => {
    const s = await session();
    await answer(s, 'A', 'SELECT Conf');
    const f = await answer(s, 'B', 'FETCH 1,* UID');
    assert.match(f, /\* 1 FETCH \(UID 1\)/);
    assert.match(f, /\* 2 FETCH \(UID 2\)/);
    assert.match(await answer(s, 'C', 'SEARCH *:1'), /\* SEARCH 1 2/);
    await h.store.mail.createMailbox(h.alice.id, 'Projects/sub');
    assert.match(await answer(s, 'D', 'LIST "" Projects/%'), /\* LIST \([^)]*\) "\/" "?Projects\/sub"?/);
  });

  test('\\Recent: the first SELECT gets it, the next does not; EXAMINE does not take it', async () => {
    await h.store.mail.createMailbox(h.alice.id, 'Fresh');
    await deliver('Subject: fresh\r\n\r\nnew\r\n', 'Fresh');
    const a = await session();
    assert.match(await answer(a, 'E', 'EXAMINE Fresh'), /\* 1 RECENT/);
    assert.match(await answer(a, 'S', 'SELECT Fresh'), /\* 1 RECENT/);
    assert.match(await answer(a, 'F', 'FETCH 1 FLAGS'), /FLAGS \(\\Recent\)/);
    assert.match(await answer(a, 'R', 'SEARCH RECENT'), /\* SEARCH 1\r\n/);
    const b = await session();
    assert.match(await answer(b, 'S', 'SELECT Fresh'), /\* 0 RECENT/);
    assert.match(await answer(b, 'R', 'SEARCH NEW'), /\* SEARCH\r\n/);
  });

  test('APPEND sends EXISTS to its own session, and an IDLE session hears of it at once', async () => {
    const a = await session();
    await answer(a, 'S', 'SELECT Conf');
    const watcher = await session();
    await answer(watcher, 'S', 'SELECT Conf');
    watcher.write('I IDLE\r\n');
    await watcher.waitFor((t) => /\+ idling/.test(t));
    const mark = watcher.length;
    const msg = 'Subject: appended\r\n\r\nhi\r\n';
    a.write(`P APPEND Conf {${msg.length}+}\r\n${msg}\r\n`);
    await a.waitFor((t) => /P OK \[APPENDUID \d+ 3\]/.test(t));
    assert.match(a.since(0), /\* 3 EXISTS[\s\S]*P OK/);
    await watcher.waitFor((t) => /\* 3 EXISTS/.test(t.slice(mark)), 5000);
    watcher.write('DONE\r\n');
    await watcher.waitFor((t) => /I OK/.test(t));
  });

  test('no EXPUNGE while answering SEARCH, FETCH or STORE by sequence number (RFC 3501 7.4.1)', async () => {
    await deliver('Subject: doomed\r\n\r\nx\r\n');
    const a = await session();
    const sel = await answer(a, 'S', 'SELECT Conf');
    const count = Number(/\* (\d+) EXISTS/.exec(sel)![1]);
    const b = await session();
    await answer(b, 'S', 'SELECT Conf');
    await answer(b, 'D', `STORE ${count} +FLAGS.SILENT (\\Deleted)`);
    await answer(b, 'X', 'EXPUNGE');
    assert.doesNotMatch(await answer(a, 'Q', 'SEARCH ALL'), /EXPUNGE/);
    assert.doesNotMatch(await answer(a, 'F', 'FETCH 1 FLAGS'), /EXPUNGE/);
    assert.doesNotMatch(await answer(a, 'T', 'STORE 1 -FLAGS (\\Draft)'), /EXPUNGE/);
    assert.match(await answer(a, 'N', 'NOOP'), new RegExp(`\\* ${count} EXPUNGE`));
  });

  test('RFC822.TEXT sets \\Seen; an absent HEADER.FIELDS gives CRLF only', async () => {
    const s = await session();
    await answer(s, 'S', 'SELECT Conf');
    await answer(s, 'U', 'STORE 1 -FLAGS (\\Seen)');
    const t = await answer(s, 'T', 'FETCH 1 RFC822.TEXT');
    assert.match(t, /\\Seen/);
    const f = await answer(s, 'H', 'FETCH 1 BODY.PEEK[HEADER.FIELDS (X-Absent)]');
    assert.match(f, /BODY\[HEADER\.FIELDS \(X-Absent\)\] \{2\}\r\n\r\n\)/);
  });

  test('sections inside message/rfc822: [2.1], [2.HEADER], [2.TEXT], [2.MIME]', async () => {
    const s = await session();
    await answer(s, 'S', 'SELECT Conf');
    const f = await answer(s, 'F', 'FETCH 1 (BODY.PEEK[2.1] BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] BODY.PEEK[2.MIME])');
    assert.match(f, /BODY\[2\.1\] \{\d+\}\r\nthe inner body/);
    assert.match(f, /BODY\[2\.HEADER\] \{\d+\}\r\nFrom: Inner <inner@example\.test>\r\nSubject: inner\r\nContent-Type: text\/plain\r\n\r\n/);
    assert.match(f, /BODY\[2\.TEXT\] \{\d+\}\r\nthe inner body/);
    assert.match(f, /BODY\[2\.MIME\] \{\d+\}\r\nContent-Type: message\/rfc822\r\nContent-Description: forwarded\r\n\r\n/);
  });

  test('BODY carries no extension data; BODYSTRUCTURE does; a missing Subject is NIL', async () => {
    const s = await session();
    await answer(s, 'S', 'SELECT Conf');
    const body = /BODY (\(.*\))\)\r\n/.exec(await answer(s, 'B', 'FETCH 1 BODY'))![1]!;
    const bs = /BODYSTRUCTURE (\(.*\))\)\r\n/.exec(await answer(s, 'C', 'FETCH 1 BODYSTRUCTURE'))![1]!;
    assert.match(body, /"mixed"\)$/i);
    // RFC 3501 body-type-mpart = 1*body SP media-subtype: the parts go back to back, no space.
    assert.match(body, /^\(\("text" "plain" \("charset" "us-ascii"\) [^()]*\)\("message" "rfc822" /i);
    assert.match(bs, /\("boundary" "b1"\)/i);
    assert.match(await answer(s, 'E', 'FETCH 2 ENVELOPE'), /ENVELOPE \(NIL NIL \(\(NIL NIL "nobody" "example\.test"\)\)/);
  });

  test('MOVE answers COPYUID before the EXPUNGEs; MOVE into the same mailbox renumbers', async () => {
    const c = await h.client();
    await c.mailboxCreate('MoveSrc');
    for (let i = 0; i < 3; i++) await c.append('MoveSrc', `Subject: m${i}\r\n\r\nx\r\n`);
    await c.logout();
    const s = await session();
    await answer(s, 'S', 'SELECT MoveSrc');
    const m = await answer(s, 'M', 'UID MOVE 3,1 Trash');
    const copyuid = /\* OK \[COPYUID \d+ ([\d:,]+) ([\d:,]+)\]/.exec(m);
    assert.ok(copyuid, m);
    assert.equal(copyuid[1], '1,3');
    assert.ok(m.indexOf('COPYUID') < m.indexOf('EXPUNGE'));
    const same = await answer(s, 'N', 'UID MOVE 2 MoveSrc');
    assert.match(same, /\[COPYUID \d+ 2 4\]/);
    assert.match(same, /\* 1 EXPUNGE/);
    assert.match(await answer(s, 'U', 'UID SEARCH ALL'), /\* SEARCH 4\r\n/);
  });

  test('SEARCH text keys are substrings; TEXT covers any header; SENT* use the Date header\'s own day', async () => {
    const s = await session();
    await answer(s, 'S', 'SELECT Conf');
    assert.match(await answer(s, 'A', 'SEARCH BODY riftwoo'), /\* SEARCH 1\r\n/);
    assert.match(await answer(s, 'B', 'SEARCH SUBJECT ute'), /\* SEARCH 1\r\n/);
    assert.match(await answer(s, 'C', 'SEARCH FROM uter@exam'), /\* SEARCH 1\r\n/);
    assert.match(await answer(s, 'D', 'SEARCH TEXT zebra-strip'), /\* SEARCH 1\r\n/);
    // Date: Mon, 1 Jan 2024 23:30:00 -0500 is 2 Jan in UTC; its own day is 1 Jan.
    assert.match(await answer(s, 'E', 'SEARCH SENTON 1-Jan-2024'), /\* SEARCH 1\r\n/);
    assert.match(await answer(s, 'F', 'SEARCH SENTBEFORE 2-Jan-2024'), /\* SEARCH 1\r\n/);
  });

  test('keywords are announced in * FLAGS and PERMANENTFLAGS', async () => {
    const s = await session();
    await answer(s, 'S', 'SELECT Conf');
    const st = await answer(s, 'K', 'STORE 1 +FLAGS ($Forwarded)');
    assert.match(st, /\* FLAGS \([^)]*\$Forwarded/);
    const again = await answer(s, 'S2', 'SELECT Conf');
    assert.match(again, /\* FLAGS \([^)]*\$Forwarded[^)]*\)/);
    assert.match(again, /PERMANENTFLAGS \([^)]*\$Forwarded[^)]*\\\*\)/);
  });

  test('a Sent copy exists once: APPEND of a message submission already filed answers the existing UID', async () => {
    const raw = 'From: alice@example.test\r\nTo: bob@example.test\r\nSubject: sent once\r\nMessage-ID: <once-42@example.test>\r\n\r\nhello\r\n';
    const sentUid = await deliver(raw, 'Sent');
    const s = await session();
    const before = await answer(s, 'B', 'STATUS Sent (MESSAGES)');
    s.write(`P APPEND Sent (\\Seen) {${raw.length}+}\r\n${raw}\r\n`);
    await s.waitFor((t) => /P OK/.test(t));
    assert.match(s.since(0), new RegExp(`P OK \\[APPENDUID \\d+ ${sentUid}\\]`));
    const afterStatus = await answer(s, 'C', 'STATUS Sent (MESSAGES)');
    assert.equal(/MESSAGES (\d+)/.exec(afterStatus)![1], /MESSAGES (\d+)/.exec(before)![1]);
  });
});
