import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MessageCheck } from '../../domain/index.js';
import { createSubmissionServer, type SubmissionServer } from '../../smtp/submission/index.js';
import { createAccountStore } from '../../store/sqlite/accounts/index.js';
import { call, startApi, type Harness } from '../admin-api/helpers.js';
import { startEnv, testResolver, type Env } from '../outbound/harness.js';
import { startMx, type MxHarness } from '../smtp/helpers/mx-harness.js';
import { RawSmtp } from '../smtp/helpers/raw-smtp.js';
import { Rng, mutateN, randomJson } from './fuzz.js';
import { testPolicy } from './helpers.js';

/**
 * Issue 9's hostile-input suite: random and mutated SMTP sessions, HTTP requests and JSON bodies
 * from a fixed seed, for a bounded time each. It passes when nothing crashed (no uncaught error),
 * nothing hung (every session ends, a fresh client is served after each batch, the event loop
 * never stalls for seconds) and nothing answered as an internal failure (HTTP 500, SMTP 451 4.3.0).
 */
const SEED = Number(process.env.HERON_FUZZ_SEED ?? 0x5eed9);
const BUDGET_MS = Number(process.env.HERON_FUZZ_MS ?? 8_000);
const uncaught: unknown[] = [];
const onUncaught = (err: unknown) => void uncaught.push(err);
const loopDelay = monitorEventLoopDelay({ resolution: 20 });

before(() => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
});
after(() => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  loopDelay.disable();
  assert.deepEqual(uncaught, [], 'no uncaught exception or rejection');
  // A hang detector, not a speed check: generous enough for a machine busy with the whole suite.
  assert.ok(loopDelay.max / 1e6 < 15_000, `event loop stalled ${Math.round(loopDelay.max / 1e6)} ms`);
});

const SMTP_COMMANDS = [
  'EHLO fuzz.example', 'HELO fuzz', 'MAIL FROM:<a@remote.example>', 'MAIL FROM:<> SIZE=100', 'RCPT TO:<ann@heron.test>', 'RCPT TO:<postmaster>',
  'RCPT TO:<x@elsewhere.example>', 'DATA', 'RSET', 'NOOP', 'VRFY ann', 'EXPN list', 'HELP', 'STARTTLS', 'AUTH PLAIN', 'AUTH LOGIN', 'BDAT 10 LAST', 'QUIT',
];
const MESSAGE = 'From: a@remote.example\r\nTo: ann@heron.test\r\nSubject: fuzz\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n';

async function smtpSession(rng: Rng, port: number, tls: boolean): Promise<string[]> {
  const c = tls ? await RawSmtp.openTls(port) : await RawSmtp.open(port);
  const replies: string[] = [];
  try {
    replies.push((await c.reply(5000)) ?? '');
    for (let i = 1 + rng.int(12); i > 0 && !c.closed; i--) {
      const base = rng.pick(SMTP_COMMANDS);
      const line = base !== 'DATA' && rng.chance(0.5) ? mutateN(rng, base) : base;
      const r = (await c.command(Buffer.from(line.replace(/\r?\n$/, '') + '\r\n', 'latin1'))) ?? '';
      replies.push(r);
      // A mutated line may carry several commands; whichever opened DATA gets a message.
      if (r.startsWith('354')) {
        c.write(mutateN(rng, MESSAGE, 6) + '\r\n.\r\n');
        replies.push((await c.reply(10_000)) ?? '');
      }
      // STARTTLS accepted: the server now waits for a TLS handshake this client does not speak.
      if (r.startsWith('220')) break;
    }
  } finally {
    c.close();
  }
  return replies.filter((r) => r !== '');
}

function assertSmtpReplies(replies: string[]): void {
  for (const r of replies) {
    assert.match(r, /^\d{3}/, `not an SMTP reply: ${JSON.stringify(r.slice(0, 80))}`);
    assert.doesNotMatch(r, /^451 4\.3\.0/, `an internal failure: ${r}`);
  }
}

describe(`hostile input (seed ${SEED}, ${BUDGET_MS} ms per protocol)`, () => {
  let env: Env;
  let mx: MxHarness;
  let sub: SubmissionServer;
  let subPort: number;
  let api: Harness;
  let token: string;

  before(async () => {
    env = await startEnv({ resolver: testResolver({}) });
    // Every message stops after the checks: the suite is about the protocol code, not the store.
    const stop: MessageCheck = { name: 'stop', check: async () => ({ filter: 'stop', action: 'reject', reply: { code: 550, enhanced: '5.7.0', message: 'fuzz stop' } }) };
    mx = await startMx({ users: env.store.users, mail: env.store.mail, blobs: env.blobs, checks: [stop], limits: { maxConnectionsPerIp: 1000 } });
    sub = createSubmissionServer({
      ...env.submitterOptions, submitter: env.submitter, tls: env.tls, secure: true, loginPolicy: testPolicy(env.store.users, createAccountStore(env.store.db)),
      limits: { maxMessageSize: 256 * 1024, socketTimeoutMs: 5000, closeTimeoutMs: 200, maxConnectionsPerIp: 1000 },
    });
    subPort = await sub.listen(0, '127.0.0.1');
    api = await startApi({ limits: { perIp: { points: 1_000_000, durationSec: 60 }, perAccount: { points: 1_000_000, durationSec: 60 }, blacklist: { strikes: 1_000_000, windowSec: 60, blockSec: 1 } } });
    await api.store.users.createUser({ username: 'fuzz', address: 'fuzz@example.test', password: 'fuzz-password-1', verified: true });
    token = (await call(api.base, 'POST', '/v1/auth/login', { body: { username: 'fuzz', password: 'fuzz-password-1' } })).body.token;
    // Measured from here: set-up (key generation, hashing) is not what the suite is about.
    loopDelay.enable();
  });
  after(async () => {
    await sub.close();
    await mx.close();
    await api.close();
    await env.close();
  });

  test('MX: random and mutated SMTP sessions', async () => {
    const rng = new Rng(SEED);
    const end = Date.now() + BUDGET_MS;
    let sessions = 0;
    while (Date.now() < end) {
      assertSmtpReplies(await smtpSession(rng, mx.port, false));
      sessions++;
    }
    const fresh = await RawSmtp.open(mx.port);
    assert.match((await fresh.reply()) ?? '', /^220/, 'still greeting');
    fresh.close();
    assert.ok(sessions > 10);
  });

  test('submission (465): random and mutated sessions, AUTH included', async () => {
    const rng = new Rng(SEED + 1);
    const end = Date.now() + BUDGET_MS;
    while (Date.now() < end) assertSmtpReplies(await smtpSession(rng, subPort, true));
    const fresh = await RawSmtp.openTls(subPort);
    assert.match((await fresh.reply()) ?? '', /^220/);
    fresh.close();
  });

  test('HTTP: mutated raw requests never get a 500', async () => {
    const rng = new Rng(SEED + 2);
    const port = Number(new URL(api.base).port);
    const paths = ['/v1/health', '/v1/auth/login', '/v1/auth/register', '/v1/me/profile', '/v1/mailboxes', '/v1/messages/1', '/v1/search?q=from:a', '/v1/contacts', '/v1/groups/1/members', '/metrics', '/'];
    const end = Date.now() + BUDGET_MS;
    while (Date.now() < end) {
      const body = JSON.stringify(randomJson(rng));
      const head = `${rng.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'])} ${rng.pick(paths)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
      const raw = rng.chance(0.7) ? mutateN(rng, head + body) : head + body;
      const answer = await new Promise<string>((resolve) => {
        let out = '';
        const s = connect(port, '127.0.0.1', () => s.end(Buffer.from(raw, 'latin1')));
        s.setEncoding('latin1');
        s.setTimeout(10_000, () => {
          s.destroy();
          resolve('TIMEOUT');
        });
        s.on('data', (d: string) => (out += d));
        s.on('close', () => resolve(out));
        s.on('error', () => resolve(out));
      });
      assert.notEqual(answer, 'TIMEOUT', `no answer to ${JSON.stringify(raw.slice(0, 120))}`);
      assert.doesNotMatch(answer, /^HTTP\/1\.[01] 5\d\d/, `5xx for ${JSON.stringify(raw.slice(0, 200))}: ${answer.slice(0, 300)}`);
    }
    assert.equal((await fetch(`${api.base}/v1/health`)).status, 200);
  });

  test('JSON bodies: every documented route with random bodies and parameters, no 500', async () => {
    const rng = new Rng(SEED + 3);
    const doc = (await call(api.base, 'GET', '/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), path] as const));
    assert.ok(routes.length > 20);
    const end = Date.now() + BUDGET_MS;
    while (Date.now() < end) {
      const [method, template] = rng.pick(routes);
      const path = template.replace(/\{[^}]+\}|:[A-Za-z]+/g, () => encodeURIComponent(String(rng.pick(['1', '0', '-1', 'abc', '9'.repeat(30), '%00', '..', 'ZZZ']))));
      // Logging out would end the run; the event stream is long-lived by design.
      if (/logout|session|\/events/.test(path)) continue;
      const r = await Promise.race([
        call(api.base, method, path, { token, ...(method === 'GET' || method === 'DELETE' ? {} : { body: randomJson(rng) }) }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer from ${method} ${path} within 15 s`)), 15_000).unref()),
      ]);
      assert.ok(r.status < 500, `${method} ${path} -> ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    }
    assert.equal((await fetch(`${api.base}/v1/health`)).status, 200);
  });
});
