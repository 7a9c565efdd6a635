/**
 * Issue 8, "Why": each input that took the old server (imap-core) down, replayed against Heron's
 * engine. The server must answer and keep serving other clients.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { constants as zc, createDeflateRaw, inflateRawSync } from 'node:zlib';
import tls from 'node:tls';
import { startHarness, PASSWORD, HOSTNAME, type Harness } from './harness.js';
import { RawSocket } from './raw-client.js';

const run = promisify(execFile);

describe('issue 8: inputs that crashed or froze the old server', () => {
  let h: Harness;
  const sockets: RawSocket[] = [];
  const open = async (secure = true): Promise<RawSocket> => {
    const s = await RawSocket.connect(secure ? h.securePort : h.port, secure);
    sockets.push(s);
    return s;
  };
  const login = async (s: RawSocket): Promise<void> => {
    assert.match(await s.command('L1', `LOGIN alice@example.test "${PASSWORD}"`), /^L1 OK/);
  };
  /** Another client gets served: the process is alive and its loop not stuck. */
  const alive = async (): Promise<void> => {
    const s = await open();
    await login(s);
    assert.match(await s.command('Z1', 'NOOP'), /^Z1 OK/);
    s.close();
  };
  before(async () => {
    h = await startHarness({ loginThrottle: { free: 3, lockAfter: 10 } });
  });
  after(async () => {
    for (const s of sockets) s.close();
    await h.close();
  });

  test('port 993 answers clients that send SNI: curl imaps:// by host name', async () => {
    const { stdout } = await run('curl', [
      '--silent', '--show-error', '--max-time', '20',
      '--resolve', `${HOSTNAME}:${h.securePort}:127.0.0.1`,
      '--cacert', h.ca.certPath,
      '--user', `alice@example.test:${PASSWORD}`,
      `imaps://${HOSTNAME}:${h.securePort}/`,
    ]);
    assert.match(stdout, /\* LIST \([^)]*\) "\/" "?INBOX"?/);
    assert.match(stdout, /\\Sent/);
  });

  test('the certificate is chosen by SNI after STARTTLS too', async () => {
    const s = await open(false);
    assert.match(await s.command('S1', 'STARTTLS'), /^S1 OK/);
    const plain = s.socket;
    plain.removeAllListeners('data');
    const secure = tls.connect({ socket: plain, servername: HOSTNAME, ca: h.ca.cert });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    assert.equal(secure.authorized, true);
    secure.destroy();
  });

  test('SEARCH SUBJECT NIL and BODY NIL search for the text "NIL"', async () => {
    const s = await open();
    await login(s);
    assert.match(await s.command('S1', 'SELECT INBOX'), /^S1 OK/);
    assert.match(await s.command('S2', 'SEARCH SUBJECT NIL'), /^S2 OK/);
    assert.match(await s.command('S3', 'UID SEARCH BODY NIL'), /^S3 OK/);
    assert.match(await s.command('S4', 'SEARCH OR SUBJECT NIL TEXT NIL'), /^S4 OK/);
    await alive();
  });

  test('CLOSE expunges \\Deleted messages (RFC 3501 6.4.2)', async () => {
    const c = await h.client();
    await c.mailboxCreate('CloseMe');
    for (let i = 0; i < 3; i++) await c.append('CloseMe', `Subject: c${i}\r\n\r\nbody\r\n`);
    await c.logout();
    const s = await open();
    await login(s);
    assert.match(await s.command('A', 'SELECT CloseMe'), /^A OK/);
    assert.match(await s.command('B', 'STORE 1:2 +FLAGS.SILENT (\\Deleted)'), /^B OK/);
    const mark = s.length;
    assert.match(await s.command('C', 'CLOSE'), /^C OK/);
    assert.doesNotMatch(s.since(mark), /EXPUNGE/, 'CLOSE sends no untagged EXPUNGE');
    const m2 = s.length;
    assert.match(await s.command('D', 'STATUS CloseMe (MESSAGES)'), /^D OK/);
    assert.match(s.since(m2), /MESSAGES 1\)/);
  });

  test('after COMPRESS DEFLATE, LOGOUT answers * BYE and the tagged OK, both compressed', async () => {
    const s = await open();
    await login(s);
    assert.match(await s.command('Z', 'COMPRESS DEFLATE'), /^Z OK/);
    const socket = s.socket;
    socket.removeAllListeners('data');
    const raw: Buffer[] = [];
    socket.on('data', (d: Buffer | string) => raw.push(Buffer.isBuffer(d) ? d : Buffer.from(d, 'binary')));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const deflate = createDeflateRaw();
    deflate.pipe(socket);
    deflate.write('N1 NOOP\r\nQ LOGOUT\r\n');
    deflate.flush(zc.Z_SYNC_FLUSH);
    await closed;
    const text = inflateRawSync(Buffer.concat(raw), { finishFlush: zc.Z_SYNC_FLUSH }).toString('latin1');
    assert.match(text, /N1 OK/);
    assert.match(text, /\* BYE/);
    assert.match(text, /Q OK/);
    assert.ok(text.indexOf('* BYE') < text.indexOf('Q OK'));
  });

  test('after the COMPRESS OK the server sends nothing until the client speaks (Thunderbird reads an early empty block as text)', async () => {
    const s = await open();
    await login(s);
    const socket = s.socket;
    const raw: Buffer[] = [];
    const seen = s.since(0).length;
    s.write('Z COMPRESS DEFLATE\r\n');
    await s.waitFor((t) => /^Z OK/m.test(t.slice(seen)));
    socket.removeAllListeners('data');
    socket.on('data', (d: Buffer | string) => raw.push(Buffer.isBuffer(d) ? d : Buffer.from(d, 'binary')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const afterOk = s.since(seen).replace(/^[\s\S]*?Z OK[^\n]*\n/, '');
    assert.equal(afterOk.length + Buffer.concat(raw).length, 0, 'bytes arrived after the COMPRESS OK before any command');
    const deflate = createDeflateRaw();
    deflate.pipe(socket);
    deflate.write('N1 NOOP\r\n');
    deflate.flush(zc.Z_SYNC_FLUSH);
    const deadline = Date.now() + 5000;
    let text = '';
    while (!/N1 OK/.test(text) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (raw.length) text = inflateRawSync(Buffer.concat(raw), { finishFlush: zc.Z_SYNC_FLUSH }).toString('latin1');
    }
    assert.match(text, /^N1 OK/m);
    socket.destroy();
  });

  test('2,000 pipelined NOOPs and CAPABILITYs in one write before login', async () => {
    const s = await open(false);
    let batch = '';
    for (let i = 0; i < 1000; i++) batch += `n${i} NOOP\r\nc${i} CAPABILITY\r\n`;
    s.write(batch);
    await s.waitFor((t) => t.includes('c999 OK'), 60_000);
    assert.equal((s.since(0).match(/^n\d+ OK/gm) ?? []).length, 1000);
    await alive();
  });

  test('2,000 IDLE/DONE pairs in one write after login', async () => {
    const s = await open();
    await login(s);
    assert.match(await s.command('S', 'SELECT INBOX'), /^S OK/);
    let batch = '';
    for (let i = 0; i < 2000; i++) batch += `i${i} IDLE\r\nDONE\r\n`;
    s.write(batch);
    await s.waitFor((t) => t.includes('i1999 OK'), 60_000);
    assert.match(await s.command('N', 'NOOP'), /^N OK/);
    await alive();
  });

  test('LIST "" "%*%*..." answers at once (no backtracking)', async () => {
    const s = await open();
    await login(s);
    const started = Date.now();
    assert.match(await s.command('L', `LIST "" "${'%*'.repeat(5000)}x"`), /^L OK/);
    assert.match(await s.command('L2', `LIST "" ${'%a'.repeat(500)}`), /^L2 OK/);
    // A hang guard, not a speed claim.
    assert.ok(Date.now() - started < 10_000);
    await alive();
  });

  test('a 40,000-item sequence set is parsed and answered', async () => {
    const s = await open();
    await login(s);
    assert.match(await s.command('S', 'SELECT INBOX'), /^S OK/);
    const set = Array.from({ length: 40_000 }, (_, i) => `${i * 3 + 1}:${i * 3 + 2}`).join(',');
    assert.match(await s.command('F', `UID FETCH ${set} (FLAGS)`), /^F OK/);
    assert.match(await s.command('F2', `SEARCH UID ${set}`), /^F2 OK/);
    await alive();
  });

  test('a 60 MB line without CRLF is refused at the line limit and the connection closed', async () => {
    const s = await open();
    await login(s);
    const chunk = 'A'.repeat(1024 * 1024);
    for (let i = 0; i < 60 && !s.closed; i++) {
      s.write(chunk);
      await new Promise((r) => setImmediate(r));
    }
    await s.waitFor((t) => /\* BYE \[TOOBIG\]/.test(t) || s.closed, 30_000).catch(() => '');
    assert.match(s.since(0), /\* BYE \[TOOBIG\]/);
    await alive();
  });

  test('LOGIN brute force is slowed, then refused even with the right password', async () => {
    const s = await open();
    const refusedCodes = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const line = await s.command(`B${i}`, `LOGIN alice@example.test "wrong${i}"`);
      assert.match(line, /^B\d+ NO \[(AUTHENTICATIONFAILED|UNAVAILABLE)\]/);
      refusedCodes.add(/\[([A-Z]+)\]/.exec(line)![1]!);
    }
    assert.ok(refusedCodes.has('UNAVAILABLE'), 'throttled after repeated failures');
    assert.match(await s.command('R', `LOGIN alice@example.test "${PASSWORD}"`), /^R NO \[UNAVAILABLE\]/);
  });
});
