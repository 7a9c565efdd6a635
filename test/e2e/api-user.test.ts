import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { baseEnv, freePort, startHeronProcess } from '../helpers/heron-process.js';

// Issue 3's "tried as a new user would", against `heron start`: register over HTTP, the code
// arrives on the SMS webhook, verify, log in with the second factor, profile, contacts and a
// group, send to a person and to the group, search, read over IMAP with an app password, log out.
const dataDir = mkdtempSync(join(tmpdir(), 'heron-api-e2e-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('register, verify, 2FA login, send to a group, search, IMAP with an app password, logout', async () => {
  const sms: Array<{ to: string; text: string; template: string; userId: string }> = [];
  const carrier = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      sms.push(JSON.parse(body) as (typeof sms)[number]);
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => carrier.listen(0, '127.0.0.1', r));
  const carrierPort = (carrier.address() as { port: number }).port;
  const api = await freePort();
  const imap = await freePort();
  const heron = startHeronProcess(
    baseEnv(dataDir, {
      HERON_API_PORT: String(api),
      HERON_IMAP_PORT: String(imap),
      HERON_SMS_PROVIDER: 'webhook',
      HERON_SMS_WEBHOOK_URL: `http://127.0.0.1:${carrierPort}/sms`,
    }),
  );
  const base = `http://127.0.0.1:${api}`;
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(base + path, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const lastCode = () => /(\d{6})/.exec(sms[sms.length - 1]!.text)![1]!;
  try {
    await heron.waitFor(/"listener":"api"/);
    assert.equal((await call('GET', '/v1/health')).status, 200);

    const reg = await call('POST', '/v1/auth/register', { username: 'dora', password: 'dora-pass-123', phone: '+15550001111', firstName: 'Dora' });
    assert.equal(reg.status, 201);
    assert.equal(reg.body.address, 'dora@heron.test');
    assert.equal(reg.body.verified, false);
    assert.match(sms[0]!.text, /^Thanks Dora for registering, your one time password is \d{6}$/);
    assert.equal(sms[0]!.to, '+15550001111');
    assert.equal((await call('POST', '/v1/auth/login', { username: 'dora', password: 'dora-pass-123' })).body.error.code, 'not_verified');
    assert.equal((await call('POST', '/v1/auth/verify', { userId: reg.body.userId, code: '000000' === lastCode() ? '111111' : '000000' })).body.error.code, 'otp_invalid');
    assert.equal((await call('POST', '/v1/auth/verify', { userId: reg.body.userId, code: lastCode() })).body.verified, true);

    const login = await call('POST', '/v1/auth/login', { username: 'dora', password: 'dora-pass-123' });
    assert.equal(login.body.method, 'sms');
    const tok = await call('POST', '/v1/auth/login/verify', { challengeId: login.body.challengeId, code: lastCode() });
    assert.equal(tok.status, 200);
    const token = tok.body.token as string;

    assert.equal((await call('PUT', '/v1/me/profile', { firstName: 'Dora', lastName: 'Explorer', displayName: 'Dora E.' }, token)).status, 200);
    assert.equal((await call('PUT', '/v1/me/preferences', { timezone: 'Europe/Tallinn', signature: '-- Dora' }, token)).status, 200);
    assert.equal((await call('PUT', '/v1/me/preferences', { timezone: 'Mars/Olympus' }, token)).status, 400);

    // Two registered friends, both verified, to put in a group.
    for (const [u, phone] of [['eve', '+15550002222'], ['finn', '+15550003333']] as const) {
      const r = await call('POST', '/v1/auth/register', { username: u, password: `${u}-pass-123`, phone, firstName: u });
      await call('POST', '/v1/auth/verify', { userId: r.body.userId, code: lastCode() });
    }
    const eve = await call('POST', '/v1/contacts', { name: 'Eve', email: 'eve@heron.test' }, token);
    const finn = await call('POST', '/v1/contacts', { name: 'Finn', email: 'finn@heron.test' }, token);
    assert.equal(eve.status, 201);
    const group = await call('POST', '/v1/groups', { name: 'Hikers', contactIds: [eve.body.id, finn.body.id] }, token);
    assert.equal(group.status, 201);

    const toPerson = await call('POST', '/v1/messages/send', { to: ['eve@heron.test'], subject: 'Trail map', text: 'The map for saturday' }, token);
    assert.equal(toPerson.status, 202, JSON.stringify(toPerson.body));
    const toGroup = await call('POST', '/v1/messages/send', { to: [], groupIds: [group.body.id], subject: 'Hike on Sunday', text: 'Meet at the trailhead' }, token);
    assert.equal(toGroup.status, 202, JSON.stringify(toGroup.body));

    const found = await call('GET', '/v1/search?q=' + encodeURIComponent('in:sent subject:hike'), undefined, token);
    assert.equal(found.status, 200);
    assert.equal(found.body.items.length, 1);

    // Finn reads the group mail over IMAP with an app password.
    const fl = await call('POST', '/v1/auth/login', { username: 'finn', password: 'finn-pass-123' });
    const ft = (await call('POST', '/v1/auth/login/verify', { challengeId: fl.body.challengeId, code: lastCode() })).body.token as string;
    const app = await call('POST', '/v1/me/app-passwords', { name: 'Thunderbird' }, ft);
    assert.equal(app.status, 201);
    const client = new ImapFlow({ host: '127.0.0.1', port: imap, secure: false, tls: { rejectUnauthorized: false }, auth: { user: 'finn@heron.test', pass: app.body.password as string }, logger: false });
    await client.connect();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const uids = await client.search({ subject: 'Hike on Sunday' }, { uid: true });
        assert.equal(uids ? uids.length : 0, 1);
        const msg = await client.fetchOne(String(uids && uids[0]), { source: true }, { uid: true });
        assert.ok(msg && msg.source);
        assert.match(msg.source.toString(), /Meet at the trailhead/);
        assert.match(msg.source.toString(), /-- Dora/, 'signature from preferences');
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }

    assert.equal((await call('POST', '/v1/auth/logout', undefined, token)).status, 204);
    assert.equal((await call('GET', '/v1/me/profile', undefined, token)).status, 401);
    // A flood of wrong logins meets 429.
    let last = 0;
    for (let i = 0; i < 15 && last !== 429; i++) last = (await call('POST', '/v1/auth/login', { username: 'dora', password: 'wrong' })).status;
    assert.equal(last, 429);
  } finally {
    heron.child.kill('SIGTERM');
    await heron.exited;
    carrier.close();
  }
});
