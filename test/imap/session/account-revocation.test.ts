/**
 * Issue 9: a user deleted or disabled, or an app password revoked, by someone else (another
 * process writing the same store) ends that user's IMAP sessions: `* BYE` and close, within a
 * bounded wait, IDLE sessions included. The CLI path across processes is in
 * test/imap/cli-revocation.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createAccountStore } from '../../../store/sqlite/accounts/index.js';
import { openSqliteStore, type SqliteStore } from '../../../store/sqlite/index.js';
import { createMemoryNotifier } from '../../../store/notifier/memory-notifier.js';
import { PASSWORD, startHarness, type Harness } from '../harness.js';
import { RawSocket } from '../raw-client.js';

const CHECK_MS = 300;

describe('sessions end when their account goes away', () => {
  let h: Harness;
  /** The same database opened as another process would: its changes reach the server through no notifier. */
  let other: SqliteStore;
  before(async () => {
    h = await startHarness({ limits: { accountCheckMs: CHECK_MS } });
    other = await openSqliteStore({ path: join(h.dir, 'heron.db'), blobs: h.blobs, notifier: createMemoryNotifier() });
  });
  after(async () => {
    await other.close();
    await h.close();
  });

  let n = 0;
  async function newUser() {
    n++;
    return h.store.users.createUser({ username: `rev${n}`, address: `rev${n}@example.test`, password: PASSWORD, verified: true });
  }

  async function login(address: string, password = PASSWORD): Promise<RawSocket> {
    const r = await RawSocket.connect(h.securePort, true);
    assert.match(await r.command('a1', `LOGIN ${address} "${password}"`), /^a1 OK/);
    return r;
  }

  async function idle(r: RawSocket): Promise<void> {
    assert.match(await r.command('s1', 'SELECT INBOX'), /^s1 OK/);
    r.write('i1 IDLE\r\n');
    await r.waitFor((t) => /\r\n\+ [^\r\n]*\r\n$/.test(t));
  }

  const bye = (r: RawSocket, mark: number, boundMs: number) =>
    r.waitFor(() => /\* BYE [^\r\n]*\r\n/.test(r.since(mark)), boundMs).then(() => r.since(mark));

  test('a deleted user in IDLE gets * BYE within a bounded wait, and the connection closes', async () => {
    const u = await newUser();
    const r = await login(u.address);
    await idle(r);
    const mark = r.length;
    const t0 = Date.now();
    await other.users.deleteUser(u.id);
    assert.match(await bye(r, mark, 10 * CHECK_MS), /\* BYE Account deleted/);
    assert.ok(Date.now() - t0 < 10 * CHECK_MS);
    await waitClosed(r);
  });

  test('a disabled user gets BYE by the next command at the latest, and that command is not answered', async () => {
    const u = await newUser();
    const r = await login(u.address);
    assert.match(await r.command('n1', 'NOOP'), /^n1 OK/);
    const mark = r.length;
    await other.users.updateUser(u.id, { disabled: true });
    // Past the check interval the command itself looks again (the timer may get there first).
    await new Promise((res) => setTimeout(res, CHECK_MS + 50));
    if (!r.closed) r.write('n2 NOOP\r\n');
    const out = await bye(r, mark, 10 * CHECK_MS);
    assert.match(out, /\* BYE Account disabled/);
    assert.doesNotMatch(out, /n2 OK/);
    await waitClosed(r);
  });

  test('a revoked app password ends the sessions logged in with it, not those logged in with the account password', async () => {
    const u = await newUser();
    const accounts = createAccountStore(other.db);
    const app = await accounts.createAppPassword(u.id, 'phone');
    const withApp = await login(u.address, app.password);
    const withPassword = await login(u.address);
    await idle(withApp);
    await idle(withPassword);
    const markApp = withApp.length;
    const markPw = withPassword.length;
    await accounts.deleteAppPassword(u.id, app.record.id);
    assert.match(await bye(withApp, markApp, 10 * CHECK_MS), /\* BYE App password revoked/);
    await new Promise((res) => setTimeout(res, 3 * CHECK_MS));
    assert.doesNotMatch(withPassword.since(markPw), /BYE/);
    withPassword.write('DONE\r\n');
    assert.match(await withPassword.command('n1', 'NOOP'), /^n1 OK/);
  });

  test('other users are not disturbed', async () => {
    const r = await login('alice@example.test');
    await new Promise((res) => setTimeout(res, 2 * CHECK_MS));
    assert.match(await r.command('n1', 'NOOP'), /^n1 OK/);
  });
});

async function waitClosed(r: RawSocket): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!r.closed && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
  assert.ok(r.closed, 'the server closes the connection after BYE');
}
