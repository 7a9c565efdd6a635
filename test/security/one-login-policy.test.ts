import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { baseEnv, freePort, heronCli, startHeronProcess } from '../helpers/heron-process.js';
import { createPasswordOnlyPolicy, statusRefusal } from '../../auth/index.js';
import { createSubmissionServer } from '../../smtp/submission/index.js';
import { createAccountStore } from '../../store/sqlite/accounts/index.js';
import { startEnv, testResolver } from '../outbound/harness.js';
import { authPlain, testPolicy } from './helpers.js';

/**
 * Issue 9, "login rules live in three places": the API, IMAP and SMTP AUTH each had their own
 * rules and counters, so a guesser could spread over protocols. Against `heron start`: wrong
 * passwords for one account sent over IMAP, SMTP AUTH and the API all count on one account, and
 * then each protocol refuses even the right password as throttled (IMAP NO [UNAVAILABLE], SMTP
 * 454 4.7.0, HTTP 429 login_throttled) until the wait is over; a bystander still logs in.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'heron-one-policy-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** LOGIN on implicit-TLS IMAP (RFC 9051 6.2.3); resolves with the tagged reply line. */
function imapLogin(port: number, user: string, pass: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    let buf = '';
    let sent = false;
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      buf += d;
      if (!sent && /^\* OK/m.test(buf)) {
        sent = true;
        s.write(`a1 LOGIN "${user}" "${pass}"\r\n`);
      }
      const tagged = /^a1 .*$/m.exec(buf);
      if (tagged) {
        s.end();
        resolve(tagged[0].trim());
      }
    });
    s.on('error', reject);
    s.on('close', () => resolve(buf.trim() || 'closed'));
  });
}

test('wrong passwords spread over IMAP, SMTP AUTH and the API count on one account; then all three refuse even the right one', async () => {
  const [api, imaps, submissions] = await Promise.all([freePort(), freePort(), freePort()]);
  const env = baseEnv(dataDir, { HERON_API_PORT: String(api), HERON_IMAPS_PORT: String(imaps), HERON_SUBMISSIONS_PORT: String(submissions) });
  for (const [address, pw] of [['ann@heron.test', 'ann-right-pw-1'], ['bob@heron.test', 'bob-right-pw-1']]) {
    const r = heronCli(['user', 'add', address!, '--password-file', '-'], env, { input: `${pw}\n` });
    assert.equal(r.status, 0, r.stderr);
  }
  const heron = startHeronProcess(env);
  try {
    await heron.waitFor(/"listener":"api"/);
    await heron.waitFor(/"listener":"imaps"/);
    await heron.waitFor(/"listener":"submissions"/);
    const apiLogin = async (username: string, password: string) => {
      const res = await fetch(`http://127.0.0.1:${api}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      return { status: res.status, body: (await res.json()) as { error?: { code?: string }; token?: string } };
    };
    const smtpLogin = async (login: string, password: string) => {
      const { c, reply } = await authPlain(submissions, login, password);
      c.close();
      return reply;
    };
    const attempts: Array<(pw: string) => Promise<{ counted: boolean; throttled: boolean; text: string }>> = [
      async (pw) => {
        const t = await imapLogin(imaps, 'ann@heron.test', pw);
        return { counted: /^a1 NO \[AUTHENTICATIONFAILED\]/.test(t), throttled: /^a1 NO \[UNAVAILABLE\]/.test(t), text: `imap ${t}` };
      },
      async (pw) => {
        const t = await smtpLogin('ann@heron.test', pw);
        return { counted: /^535 5\.7\.8/.test(t), throttled: /^454 4\.7\.0/.test(t), text: `smtp ${t}` };
      },
      async (pw) => {
        const r = await apiLogin('ann@heron.test', pw);
        const code = r.body.error?.code;
        return { counted: r.status === 401, throttled: r.status === 429 && code === 'login_throttled', text: `api ${r.status} ${code}` };
      },
    ];
    // Nine counted failures (5 free, then waits of 1, 2, 4 and 8 s), every protocol taking turns;
    // a throttled try is waited out, as a patient guesser would.
    const log: string[] = [];
    let counted = 0;
    for (let i = 0; counted < 9 && i < 60; i++) {
      const r = await attempts[i % 3]!(`guess-${i}`);
      log.push(r.text);
      if (r.counted) counted++;
      else if (r.throttled) await new Promise((res) => setTimeout(res, 700));
      else assert.fail(`unexpected answer: ${r.text}`);
    }
    assert.equal(counted, 9, log.join('\n'));
    for (const p of ['imap', 'smtp', 'api']) assert.ok(log.some((l) => l.startsWith(p) && !/ NO \[UNAVAILABLE\]|^smtp 454|^api 429/.test(l)), `${p} counted failures too:\n${log.join('\n')}`);
    // The account now waits 8 s: the right password is not even looked at, on any protocol.
    for (const attempt of attempts) {
      const r = await attempt('ann-right-pw-1');
      assert.ok(r.throttled, `right password while throttled: ${r.text}`);
    }
    // Per account, not per protocol or per server: bob logs in everywhere from the same address.
    assert.match(await imapLogin(imaps, 'bob@heron.test', 'bob-right-pw-1'), /^a1 OK/);
    assert.match(await smtpLogin('bob@heron.test', 'bob-right-pw-1'), /^235/);
    assert.equal((await apiLogin('bob@heron.test', 'bob-right-pw-1')).status, 200);
  } finally {
    heron.child.kill('SIGTERM');
    await heron.exited;
  }
});

test('status rules have one home (auth/): unverified and disabled users are refused alike by the policy, the test-only fallback and a bare SMTP listener', async () => {
  const env = await startEnv({ resolver: testResolver({}) });
  const bare = createSubmissionServer({ ...env.submitterOptions, submitter: env.submitter, tls: env.tls, secure: true, limits: { maxMessageSize: 1024, socketTimeoutMs: 10_000, closeTimeoutMs: 200 } });
  const port = await bare.listen(0, '127.0.0.1');
  try {
    const carl = await env.store.users.createUser({ username: 'carl', address: 'carl@heron.test', password: 'carl-right-pw-1', verified: false });
    const dina = await env.store.users.createUser({ username: 'dina', address: 'dina@heron.test', password: 'dina-right-pw-1', verified: true });
    await env.store.users.updateUser(dina.id, { disabled: true });
    const policy = testPolicy(env.store.users, createAccountStore(env.store.db));
    const fallback = createPasswordOnlyPolicy(env.store.users);
    for (const [login, password, want] of [
      ['carl@heron.test', 'carl-right-pw-1', 'not_verified'],
      ['dina@heron.test', 'dina-right-pw-1', 'invalid'], // verifyPassword refuses disabled users: no hint that the password was right
      ['bob@heron.test', 'bob-secret-pw', 'ok'],
    ] as const) {
      const req = { login, password, ip: '198.51.100.9', protocol: 'smtp' as const };
      const [a, b] = [await policy.protocolLogin(req), await fallback.protocolLogin(req)];
      assert.equal(a.ok ? 'ok' : a.reason, want, `policy, ${login}`);
      assert.equal(b.ok ? 'ok' : b.reason, want, `fallback, ${login}`);
      const { c, reply } = await authPlain(port, login, password);
      c.close();
      assert.match(reply, want === 'ok' ? /^235/ : /^535 5\.7\.8/, `bare SMTP listener, ${login}`);
    }
    assert.equal(statusRefusal({ ...carl, verified: true, disabled: true }), 'disabled');
  } finally {
    await bare.close();
    await env.close();
  }
});
