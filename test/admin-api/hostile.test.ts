import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startApi, call, signUp, type Harness } from './helpers.js';

const run = promisify(execFile);

/** curl as an outside client: returns the status and body. */
async function curl(args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['-s', '--max-time', '30', '-o', '-', '-w', '\n%{http_code}', ...args], { maxBuffer: 16 * 1024 * 1024 });
  const i = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(i + 1)), body: stdout.slice(0, i) };
}

describe('hostile input: always a 4xx with a code, never a 500, and the server keeps serving', () => {
  let h: Harness;
  let token: string;
  before(async () => {
    h = await startApi();
    token = (await signUp(h, 'ann')).token;
  });
  after(async () => {
    await h.close();
  });

  test('malformed JSON, wrong types, wrong content type', async () => {
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['{"username": "x",', {}, 400, 'invalid_json'],
      ['\u0000\u0001garbage', {}, 400, 'invalid_json'],
      ['[]', {}, 400, 'invalid_request'],
      ['null', {}, 400, 'invalid_request'],
      ['"a string"', {}, 400, 'invalid_request'],
      ['{"username":1,"password":[],"phone":{},"firstName":null}', {}, 400, 'invalid_request'],
      ['username=x', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
    ];
    for (const [raw, headers, status, code] of cases) {
      const r = await call(h.base, 'POST', '/v1/auth/register', { raw, headers });
      assert.equal(r.status, status, raw);
      assert.equal(r.body.error.code, code, raw);
    }
  });

  test('a 3 MB body is 413 (declared length and chunked), via curl', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024), email: 'a@b.test' });
    const file = `${process.env.TMPDIR ?? '/tmp'}/heron-big-${process.pid}.json`;
    const fs = await import('node:fs');
    fs.writeFileSync(file, big);
    try {
      const r1 = await curl(['-X', 'POST', '-H', 'content-type: application/json', '-H', `authorization: Bearer ${token}`, '--data-binary', `@${file}`, `${h.base}/v1/contacts`]);
      assert.equal(r1.status, 413);
      assert.equal(JSON.parse(r1.body).error.code, 'payload_too_large');
      const r2 = await curl(['-X', 'POST', '-H', 'content-type: application/json', '-H', 'transfer-encoding: chunked', '-H', `authorization: Bearer ${token}`, '--data-binary', `@${file}`, `${h.base}/v1/contacts`]);
      assert.equal(r2.status, 413);
      // An oversized body is discarded only up to a bound: a 20 MB one is cut off, and the
      // server keeps serving either way.
      fs.writeFileSync(file, Buffer.alloc(20 * 1024 * 1024, 0x61));
      const r3 = await curl(['-X', 'POST', '-H', 'content-type: application/json', '-H', 'transfer-encoding: chunked', '-H', `authorization: Bearer ${token}`, '--data-binary', `@${file}`, `${h.base}/v1/contacts`]).catch(
        (err: { code?: number }) => ({ status: -1, body: String(err.code) }),
      );
      assert.ok(r3.status === 413 || r3.status === -1, `unexpected ${r3.status}`);
    } finally {
      fs.rmSync(file, { force: true });
    }
    assert.equal((await call(h.base, 'GET', '/v1/health')).status, 200);
  });

  test('SQL and script metacharacters are stored literally or refused with 400', async () => {
    const evil = [`Robert'); DROP TABLE contacts;--`, '<script>alert(1)</script>', '" OR 1=1 --', '%00%27', '${jndi:ldap://x}', '../../etc/passwd'];
    for (const name of evil) {
      const r = await call(h.base, 'POST', '/v1/contacts', { token, body: { name, email: 'x@example.test', notes: name } });
      assert.equal(r.status, 201, name);
      assert.equal(r.body.name, name.trim());
      const back = await call(h.base, 'GET', `/v1/contacts/${r.body.id}`, { token });
      assert.equal(back.body.notes, name);
    }
    for (const username of [`x'); DROP TABLE users;--`, '<script>', 'a\u0000b', '', 'x'.repeat(100)]) {
      const r = await call(h.base, 'POST', '/v1/auth/register', { body: { username, password: 'long enough pw', phone: '+15551234567', firstName: 'X' } });
      assert.equal(r.status, 400, username);
      assert.equal(r.body.error.code, 'invalid_request');
    }
    const nul = await call(h.base, 'POST', '/v1/contacts', { token, body: { name: 'a\u0000b', email: 'x@example.test' } });
    assert.equal(nul.status, 400);
    for (const p of ['/v1/contacts/1%27%20OR%201=1', '/v1/contacts/..%2F..%2Fetc', `/v1/contacts/${'9'.repeat(40)}`, '/v1/messages/%00', '/v1/mailboxes/1;DROP/messages', '/v1/groups/-1', '/v1/contacts/%E0%A4%A', '/v1/contacts/%', '/v1/messages/%C0%AF/attachments/0']) {
      const r = await call(h.base, 'GET', p, { token });
      assert.ok(r.status === 404 || r.status === 400, `${p}: ${r.status}`);
      assert.ok(r.body.error.code);
    }
    const login = await call(h.base, 'POST', '/v1/auth/login', { body: { username: "' OR '1'='1", password: "' OR '1'='1" } });
    assert.equal(login.status, 401);
    const verify = await call(h.base, 'POST', '/v1/auth/verify', { body: { userId: "1 OR 1=1", code: '123456' } });
    assert.equal(verify.status, 400);
  });

  test('unknown routes, methods and query garbage', async () => {
    const r = await call(h.base, 'GET', '/v1/nothing-here');
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'not_found');
    assert.equal((await call(h.base, 'GET', '/v1/contacts?limit=-5', { token })).status, 400);
    assert.equal((await call(h.base, 'GET', '/v1/contacts?limit=abc', { token })).status, 400);
    assert.equal((await call(h.base, 'GET', `/v1/search?q=${'('.repeat(500)}`, { token })).status, 400);
    assert.equal((await call(h.base, 'GET', '/v1/me/profile', { token, headers: { 'x-request-id': 'bad id with spaces' } })).status, 200);
    const health = await call(h.base, 'GET', '/v1/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
  });

  test('OpenAPI 3.1 document covers the contract', async () => {
    const r = await call(h.base, 'GET', '/v1/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.body.openapi, '3.1.0');
    for (const p of ['/v1/auth/register', '/v1/auth/verify', '/v1/auth/otp/resend', '/v1/auth/login', '/v1/auth/login/verify', '/v1/auth/logout', '/v1/me/profile',
      '/v1/me/preferences', '/v1/me/app-passwords', '/v1/mailboxes', '/v1/mailboxes/{id}/messages', '/v1/messages/{id}', '/v1/search', '/v1/messages/send',
      '/v1/contacts', '/v1/contacts/{id}', '/v1/groups', '/v1/groups/{id}', '/v1/groups/{id}/members', '/v1/groups/{id}/members/{contactId}', '/v1/admin/users']) {
      assert.ok(r.body.paths[p], p);
    }
    const reg = r.body.paths['/v1/auth/register'].post;
    assert.deepEqual(reg.requestBody.content['application/json'].schema.required.sort(), ['firstName', 'password', 'phone', 'username']);
    assert.ok(reg.responses['201']);
  });
});
