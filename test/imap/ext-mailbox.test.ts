/**
 * Mailbox and APPEND extensions on raw commands, after their RFCs' examples: LIST-EXTENDED
 * (RFC 5258), LIST-STATUS (RFC 5819), SPECIAL-USE and CREATE-SPECIAL-USE (RFC 6154), STATUS=SIZE
 * (RFC 8438), APPENDLIMIT (RFC 7889), OBJECTID (RFC 8474), MULTIAPPEND (RFC 3502), CATENATE
 * (RFC 4469), URLAUTH (RFC 4467, RFC 5524), UTF8=ACCEPT (RFC 6855), QUOTA (RFC 9208).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';
import { exchange, type RawSocket } from './raw-client.js';

describe('mailbox and append extensions', () => {
  let h: Harness;
  let s: RawSocket;
  const msg = (subject: string): string => `From: alice@example.test\r\nSubject: ${subject}\r\n\r\nbody ${subject}\r\n`;
  before(async () => {
    h = await startHarness();
    s = await h.raw();
  });
  after(async () => {
    await h.close();
  });

  test('LIST-EXTENDED: SUBSCRIBED, RECURSIVEMATCH with CHILDINFO, \\NonExistent, multiple patterns (RFC 5258)', async () => {
    await exchange(s, 'C1', 'CREATE Lx/a/b');
    await exchange(s, 'C2', 'CREATE Lx/c');
    await exchange(s, 'S1', 'SUBSCRIBE Lx/a/b');
    await exchange(s, 'S2', 'SUBSCRIBE Lx/gone');
    const sub = await exchange(s, 'L1', 'LIST (SUBSCRIBED) "" Lx/*');
    assert.match(sub, /\* LIST \(\\HasNoChildren \\Subscribed\) "\/" "?Lx\/a\/b"?/);
    assert.match(sub, /\* LIST \(\\NonExistent \\HasNoChildren \\Subscribed\) "\/" "?Lx\/gone"?/);
    const rec = await exchange(s, 'L2', 'LIST (SUBSCRIBED RECURSIVEMATCH) "" Lx/%');
    assert.match(rec, /\* LIST \(\\HasChildren\) "\/" "?Lx\/a"? \("CHILDINFO" \("SUBSCRIBED"\)\)/);
    const multi = await exchange(s, 'L3', 'LIST "" ("Lx/c" "Lx/a/%") RETURN (CHILDREN SUBSCRIBED)');
    assert.match(multi, /"?Lx\/c"?/);
    assert.match(multi, /\\Subscribed\) "\/" "?Lx\/a\/b"?/);
    assert.doesNotMatch(multi, /"Lx\/a"\r\n/);
    await exchange(s, 'L4', 'LIST (RECURSIVEMATCH) "" %', 'BAD');
  });

  test('LIST-STATUS and STATUS=SIZE, DELETED, APPENDLIMIT, MAILBOXID (RFC 5819, 8438, 7889, 8474)', async () => {
    await exchange(s, 'C', 'CREATE St');
    const m = msg('st');
    await exchange(s, 'A', `APPEND St (\\Deleted) {${m.length}+}\r\n${m}`);
    const ls = await exchange(s, 'L', 'LIST "" St RETURN (STATUS (MESSAGES SIZE DELETED))');
    assert.match(ls, /\* LIST \([^)]*\) "\/" "?St"?\r\n\* STATUS "?St"? \(MESSAGES 1 SIZE \d+ DELETED 1\)/);
    const st = await exchange(s, 'S', 'STATUS St (APPENDLIMIT MAILBOXID UIDNEXT UIDVALIDITY HIGHESTMODSEQ)');
    assert.match(st, /APPENDLIMIT \d+ MAILBOXID \([\w-]+\) UIDNEXT 2 UIDVALIDITY \d+ HIGHESTMODSEQ \d+/);
  });

  test('SPECIAL-USE in LIST and LIST (SPECIAL-USE); CREATE with USE (RFC 6154)', async () => {
    const su = await exchange(s, 'L', 'LIST (SPECIAL-USE) "" *');
    for (const use of ['\\Sent', '\\Drafts', '\\Junk', '\\Trash', '\\Archive']) assert.ok(su.includes(use), use);
    assert.doesNotMatch(su, /"?INBOX"?\r\n/);
    await exchange(s, 'C', 'CREATE Stash (USE (\\Flagged))', 'NO');
  });

  test('MULTIAPPEND adds all messages or none (RFC 3502)', async () => {
    await exchange(s, 'C', 'CREATE Multi');
    const a = msg('m1');
    const b = msg('m2');
    const ok = await exchange(s, 'A', `APPEND Multi (\\Seen) {${a.length}+}\r\n${a} {${b.length}+}\r\n${b}`);
    assert.match(ok, /A OK \[APPENDUID \d+ 1:2\]/);
    // The second message is refused (an invalid flag) before anything is stored.
    await exchange(s, 'B', `APPEND Multi {${a.length}+}\r\n${a} (\\Bogus) {${b.length}+}\r\n${b}`, 'BAD');
    assert.match(await exchange(s, 'S', 'STATUS Multi (MESSAGES)'), /MESSAGES 2\)/);
  });

  test('CATENATE joins literal text and parts of stored messages named by URL (RFC 4469)', async () => {
    await exchange(s, 'C', 'CREATE Cat');
    const base = 'From: alice@example.test\r\nSubject: base\r\n\r\nthe original body\r\n';
    const out = await exchange(s, 'A', `APPEND Cat {${base.length}+}\r\n${base}`);
    const [, uv, uid] = /APPENDUID (\d+) (\d+)/.exec(out)!;
    const head = 'From: alice@example.test\r\nSubject: built\r\n\r\n';
    const cat = await exchange(s, 'B', `APPEND Cat CATENATE (TEXT {${head.length}+}\r\n${head} URL "/Cat;UIDVALIDITY=${uv}/;UID=${uid}/;SECTION=TEXT")`);
    const newUid = /APPENDUID \d+ (\d+)/.exec(cat)![1];
    await exchange(s, 'S', 'SELECT Cat');
    const f = await exchange(s, 'F', `UID FETCH ${newUid} BODY.PEEK[]`);
    assert.ok(f.includes(head + 'the original body\r\n'), f);
    assert.match(await exchange(s, 'D', 'APPEND Cat CATENATE (URL "/Cat;UIDVALIDITY=1/;UID=99")', 'NO'), /NO \[BADURL/);
  });

  test('URLAUTH: GENURLAUTH, URLFETCH by another user, RESETKEY invalidates (RFC 4467, URLAUTH=BINARY RFC 5524)', async () => {
    await exchange(s, 'C', 'CREATE Share');
    const m = msg('shared');
    const out = await exchange(s, 'A', `APPEND Share {${m.length}+}\r\n${m}`);
    const uid = /APPENDUID \d+ (\d+)/.exec(out)![1];
    const gen = await exchange(s, 'G', `GENURLAUTH "imap://alice@example.test/Share/;uid=${uid};urlauth=user+bob@example.test" INTERNAL`);
    const url = /\* GENURLAUTH "([^"]+)"/.exec(gen)![1]!;
    assert.match(url, /:INTERNAL:[0-9a-f]{64}$/);
    const bob = await h.raw('bob');
    const fetched = await exchange(bob, 'F', `URLFETCH "${url}"`);
    assert.ok(fetched.includes(`{${m.length}}\r\n${m}`), fetched);
    // RFC 5524: each item in its own parentheses, `(BODYPARTSTRUCTURE body) (BINARY data)`.
    assert.match(await exchange(bob, 'B', `URLFETCH ("${url}" BODYPARTSTRUCTURE BINARY)`), /" \(BODYPARTSTRUCTURE \("text" "plain" \("charset" "us-ascii"\) [^()]*\)\) \(BINARY \{\d+\}\r\n/i);
    // Alice's own URL without a token is refused to Bob; a forged token too.
    assert.match(await exchange(bob, 'X', `URLFETCH "${url.replace(/:[0-9a-f]{64}$/, ':' + '0'.repeat(64))}"`), /" NIL\r\n/);
    await exchange(s, 'R', 'RESETKEY Share');
    assert.match(await exchange(bob, 'F2', `URLFETCH "${url}"`), /" NIL\r\n/);
  });

  test('URLFETCH BODYPARTSTRUCTURE with BINARY describes the decoded bytes it returns (RFC 5524): size, lines, identity encoding', async () => {
    await exchange(s, 'C', 'CREATE Kiln');
    const raw = Buffer.from('0102003f41', 'hex').toString('base64');
    const m =
      'From: alice@example.test\r\nSubject: kiln log\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=k\r\n\r\n' +
      '--k\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nglaze at 1240 =C2=B0C\r\nfired twice\r\n' +
      `--k\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${raw}\r\n--k--\r\n`;
    const out = await exchange(s, 'A', `APPEND Kiln {${m.length}+}\r\n${m}`);
    const uid = /APPENDUID \d+ (\d+)/.exec(out)![1];
    const url = async (section: string) => /\* GENURLAUTH "([^"]+)"/.exec(await exchange(s, 'G', `GENURLAUTH "imap://alice@example.test/Kiln/;uid=${uid}/;section=${section};urlauth=user+alice@example.test" INTERNAL`))![1]!;
    const text = await url('1');
    // Stored form: quoted-printable, 34 bytes, one line end (the last belongs to the boundary).
    assert.match(await exchange(s, 'F1', `URLFETCH ("${text}" BODYPARTSTRUCTURE)`), /\("text" "plain" \("charset" "utf-8"\) NIL NIL "quoted-printable" 34 1 /i);
    // Decoded: 8-bit text, 30 bytes, one line end; the literal carries exactly those bytes.
    const dec = await exchange(s, 'F2', `URLFETCH ("${text}" BODYPARTSTRUCTURE BINARY)`);
    assert.match(dec, /\(BODYPARTSTRUCTURE \("text" "plain" \("charset" "utf-8"\) NIL NIL "8bit" 30 1 NIL NIL NIL NIL\)\) \(BINARY \{30\}\r\n/i);
    // `(url)` with no items: the plain answer (url-metadata needs at least one item).
    assert.match(await exchange(s, 'F4', `URLFETCH ("${text}")`), /" \{34\}\r\nglaze at 1240 =C2=B0C\r\nfired twice\r\n/);
    const bin = await url('2');
    // Bytes with a NUL: the identity encoding is binary and the data a literal8 (RFC 3516).
    const b = await exchange(s, 'F3', `URLFETCH ("${bin}" BINARY BODYPARTSTRUCTURE)`);
    assert.match(b, /\(BODYPARTSTRUCTURE \("application" "octet-stream" NIL NIL NIL "binary" 5 NIL NIL NIL NIL\)\) \(BINARY ~\{5\}\r\n/i);
  });

  test('UTF8=ACCEPT: UTF-8 names and APPEND UTF8 (~{n}) after ENABLE; modified UTF-7 before (RFC 6855, RFC 3501 5.1.3)', async () => {
    await exchange(s, 'C', 'CREATE "Gr&APwA3w-e"');
    assert.match(await exchange(s, 'L', 'LIST "" Gr*'), /"?Gr&APwA3w-e"?/);
    const u = await h.raw();
    await exchange(u, 'E', 'ENABLE UTF8=ACCEPT');
    const list = Buffer.from(await exchange(u, 'L', 'LIST "" Gr*'), 'binary').toString('utf8');
    assert.match(list, /"Grüße"/);
    const body = Buffer.from('Subject: Grüße\r\n\r\nÄpfel\r\n');
    const ap = await exchange(u, 'A', Buffer.concat([Buffer.from('APPEND "Grüße" UTF8 (~{' + body.length + '+}\r\n'), body, Buffer.from(')')]));
    assert.match(ap, /APPENDUID/);
  });

  test('QUOTA: GETQUOTAROOT and GETQUOTA in KiB; SETQUOTA is refused (RFC 9208)', async () => {
    await h.store.users.updateUser(h.alice.id, { quota: 10 * 1024 * 1024 });
    const q = await exchange(s, 'Q', 'GETQUOTAROOT INBOX');
    assert.match(q, /\* QUOTAROOT "?INBOX"? ""/);
    assert.match(q, /\* QUOTA "" \(STORAGE \d+ 10240\)/);
    assert.match(await exchange(s, 'G', 'GETQUOTA ""'), /STORAGE \d+ 10240/);
    assert.match(await exchange(s, 'S', 'SETQUOTA "" (STORAGE 1)', 'NO'), /NO \[NOPERM\]/);
    await h.store.users.updateUser(h.alice.id, { quota: 0 });
  });
});
