import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, PASSWORD, type Harness } from './harness.js';
import { RawSocket } from './raw-client.js';

describe('IMAP hostile input and STARTTLS', () => {
  let h: Harness;
  const sockets: RawSocket[] = [];
  const open = async (secure: boolean): Promise<RawSocket> => {
    const s = await RawSocket.connect(secure ? h.securePort : h.port, secure);
    sockets.push(s);
    return s;
  };
  const login = async (s: RawSocket): Promise<void> => {
    assert.match(await s.command('L1', `LOGIN alice@example.test "${PASSWORD}"`), /^L1 OK/);
  };
  before(async () => {
    h = await startHarness({ limits: { maxConnectionsPerIp: 20 } });
  });
  after(async () => {
    for (const s of sockets) s.close();
    await h.close();
  });

  test('plain port: STARTTLS and LOGINDISABLED offered; LOGIN refused before TLS (RFC 3501 6.2.3), accepted after', async () => {
    const s = await open(false);
    const mark = s.length;
    assert.match(await s.command('C1', 'CAPABILITY'), /^C1 OK/);
    const caps = s.since(mark);
    assert.match(caps, /STARTTLS/);
    assert.match(caps, /LOGINDISABLED/);
    assert.match(await s.command('A1', `LOGIN alice@example.test "${PASSWORD}"`), /^A1 (NO|BAD)/);
    assert.match(await s.command('A2', 'AUTHENTICATE PLAIN ' + Buffer.from(`\0alice@example.test\0${PASSWORD}`).toString('base64')), /^A2 (NO|BAD)/);
    assert.match(await s.command('S1', 'STARTTLS'), /^S1 OK/);
    await s.startTls();
    const m2 = s.length;
    assert.match(await s.command('C2', 'CAPABILITY'), /^C2 OK/);
    assert.doesNotMatch(s.since(m2), /LOGINDISABLED/);
    await login(s);
    assert.match(await s.command('N1', 'NOOP'), /^N1 OK/);
  });

  test('garbage, NUL bytes and unknown commands get BAD and the session keeps serving', async () => {
    const s = await open(true);
    await login(s);
    assert.match(await s.command('G1', 'FROBNICATE the widgets'), /^G1 BAD/);
    assert.match(await s.command('G2', Buffer.from('SELECT "IN\0BOX"', 'binary')), /^G2 (BAD|NO)/);
    assert.match(await s.command('G3', 'FETCH'), /^G3 BAD/);
    assert.match(await s.command('G4', 'SELECT INBOX'), /^G4 OK/);
    assert.match(await s.command('G5', 'FETCH 1:* (FLAGS'), /^G5 BAD/);
    assert.match(await s.command('G6', 'UID SEARCH FROBBED'), /^G6 BAD/);
    assert.match(await s.command('G7', 'STORE 1 +FLAGS (\\Seen'), /^G7 BAD/);
    assert.match(await s.command('G8', 'SEARCH SINCE notadate'), /^G8 BAD/);
    assert.match(await s.command('G9', 'CREATE "a\x01b"'), /^G9 (NO|BAD)/);
    assert.match(await s.command('N1', 'NOOP'), /^N1 OK/);
  });

  test('a 100 KB command line is refused and the server still serves', async () => {
    const s = await open(true);
    await login(s);
    const mark = s.length;
    s.write('X1 SELECT "' + 'A'.repeat(100 * 1024) + '"\r\n');
    await s.waitFor((t) => /X1 (OK|NO|BAD)|\* BYE/.test(t.slice(mark)) || s.closed).catch(() => '');
    assert.doesNotMatch(s.since(mark), /X1 OK/);
    const fresh = await open(true);
    await login(fresh);
    assert.match(await fresh.command('N1', 'NOOP'), /^N1 OK/);
  });

  test('an absurd literal {999999999} is refused without waiting for the bytes', async () => {
    const s = await open(true);
    await login(s);
    const mark = s.length;
    s.write('B1 APPEND INBOX {999999999}\r\n');
    await s.waitFor((t) => /B1 (NO|BAD)/.test(t.slice(mark)));
    assert.match(s.since(mark), /B1 (NO|BAD)/);
    assert.doesNotMatch(s.since(mark), /^\+ /m);
    const m2 = s.length;
    s.write('B2 SELECT {99999}\r\n');
    await s.waitFor((t) => /B2 (NO|BAD)/.test(t.slice(m2)));
    assert.match(await s.command('N1', 'NOOP'), /^N1 OK/);
  });

  test('broken MIME APPENDed is stored and served back byte for byte', async () => {
    const s = await open(true);
    await login(s);
    const broken = 'Content-Type: multipart/mixed; boundary="zz"\r\nSubject: broken\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nno end boundary \xff\xfe\r\n--zz\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n';
    const mark = s.length;
    s.write(`P1 APPEND INBOX {${Buffer.byteLength(broken, 'binary')}}\r\n`);
    await s.waitFor((t) => /^\+ /m.test(t.slice(mark)));
    s.write(broken + '\r\n');
    await s.waitFor((t) => /P1 (OK|NO|BAD)[^\r\n]*\r\n/.test(t.slice(mark)));
    const line = /P1 (OK|NO|BAD)[^\r\n]*/.exec(s.since(mark))![0];
    assert.match(line, /^P1 OK \[APPENDUID \d+ (\d+)\]/);
    const uid = /APPENDUID \d+ (\d+)/.exec(line)![1];
    assert.match(await s.command('S1', 'SELECT INBOX'), /^S1 OK/);
    const m2 = s.length;
    assert.match(await s.command('F1', `UID FETCH ${uid} (RFC822.SIZE BODY.PEEK[] BODYSTRUCTURE)`), /^F1 OK/);
    const out = s.since(m2);
    assert.ok(out.includes(`{${Buffer.byteLength(broken, 'binary')}}\r\n${broken}`), 'served bytes equal the appended bytes');
    assert.match(out, new RegExp(`RFC822.SIZE ${Buffer.byteLength(broken, 'binary')}`));
  });

  test('APPEND above the size limit is refused [TOOBIG]', async () => {
    const small = await startHarness({ limits: { maxMessageSize: 2 * 1024 * 1024 } });
    try {
      const s = await RawSocket.connect(small.securePort, true);
      sockets.push(s);
      assert.match(await s.command('L1', `LOGIN alice@example.test "${PASSWORD}"`), /^L1 OK/);
      const mark = s.length;
      s.write(`T1 APPEND INBOX {${3 * 1024 * 1024}}\r\n`);
      await s.waitFor((t) => /T1 (NO|BAD)/.test(t.slice(mark)));
      assert.match(s.since(mark), /T1 (NO|BAD)/);
      assert.match(await s.command('N1', 'NOOP'), /^N1 OK/);
    } finally {
      await small.close();
    }
  });

  test('connections per IP are limited; the refused one gets BYE', async () => {
    const limited = await startHarness({ limits: { maxConnectionsPerIp: 2 } });
    const local: RawSocket[] = [];
    try {
      local.push(await RawSocket.connect(limited.securePort, true));
      local.push(await RawSocket.connect(limited.securePort, true));
      await assert.rejects(RawSocket.connect(limited.securePort, true), /BYE|closed/);
    } finally {
      for (const s of local) s.close();
      await limited.close();
    }
  });
});
