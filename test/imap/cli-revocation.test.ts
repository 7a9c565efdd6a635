/**
 * Issue 9 ("deleting a user revokes at once, everywhere"), across processes: `heron user delete`
 * run as its own process while the user's IMAP session is in IDLE on a running `heron start`
 * ends that session with `* BYE` within a bounded wait (the server re-reads each logged-in user
 * every few seconds; imap/session/account-watch.ts).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, freePort, heronCli, startHeronProcess } from '../helpers/heron-process.js';
import { RawSocket } from './raw-client.js';

const dataDir = mkdtempSync(join(tmpdir(), 'heron-imap-revoke-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** DEFAULT_IMAP_LIMITS.accountCheckMs is 5 s; the CLI's own start-up is in the wait too. */
const BOUND_MS = 20_000;

test('heron user delete (another process) ends the user IDLE session on heron start with * BYE', async () => {
  const imaps = await freePort();
  const env = baseEnv(dataDir, { HERON_IMAPS_PORT: String(imaps) });
  const password = 'tide-pool-lantern-9';
  const add = heronCli(['user', 'add', 'gone@heron.test', '--password-file', '-'], env, { input: `${password}\n` });
  assert.equal(add.status, 0, add.stderr);
  const heron = startHeronProcess(env);
  let r: RawSocket | null = null;
  try {
    await heron.waitFor(/"listener":"imaps"[^\n]*listening|listening[^\n]*"listener":"imaps"/);
    // By host name, as a client would (SNI).
    r = await RawSocket.connect(imaps, true, 'mx.heron.test');
    assert.match(await r.command('a1', `LOGIN gone@heron.test "${password}"`), /^a1 OK/);
    assert.match(await r.command('a2', 'SELECT INBOX'), /^a2 OK/);
    r.write('a3 IDLE\r\n');
    await r.waitFor((t) => /\r\n\+ [^\r\n]*\r\n$/.test(t));
    const mark = r.length;

    const t0 = Date.now();
    const del = heronCli(['user', 'delete', 'gone@heron.test'], env);
    assert.equal(del.status, 0, del.stderr);
    const conn = r;
    await conn.waitFor(() => /\* BYE [^\r\n]*\r\n/.test(conn.since(mark)), BOUND_MS);
    assert.ok(Date.now() - t0 < BOUND_MS + 1000);
    assert.doesNotMatch(conn.since(mark), /a3 OK/);
    const deadline = Date.now() + 5000;
    while (!conn.closed && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    assert.ok(conn.closed, 'the server closes the connection after BYE');
  } finally {
    r?.close();
    heron.child.kill('SIGTERM');
    await heron.exited;
  }
});
