import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { generate } from 'otplib';
import { startApi, call, signUp, nextPhone, login, type Harness } from './helpers.js';

describe('auth: registration, login, tokens', () => {
  let h: Harness;
  before(async () => {
    h = await startApi({ otp: { resendCooldownMs: 60_000 } });
  });
  after(async () => {
    await h.close();
  });

  test('register -> SMS with the default template -> verify -> login with SMS challenge -> logout', async () => {
    const phone = nextPhone();
    const reg = await call(h.base, 'POST', '/v1/auth/register', { body: { username: 'Alice', password: 'correct horse battery', phone, firstName: 'Alice', lastName: 'Liddell' } });
    assert.equal(reg.status, 201);
    assert.deepEqual(Object.keys(reg.body).sort(), ['address', 'codeExpiresAt', 'resendAfterSec', 'userId', 'verified']);
    // The code's expiry is the OTP lifetime from now (the web page counts it down).
    assert.ok(Math.abs(Date.parse(reg.body.codeExpiresAt) - Date.now() - 10 * 60_000) < 5_000);
    assert.equal(reg.body.address, 'alice@example.test');
    assert.equal(reg.body.verified, false);
    const sms = h.sms.messages.at(-1)!;
    assert.equal(sms.to, phone);
    assert.equal(sms.template, 'registration');
    assert.equal(sms.userId, reg.body.userId);
    assert.match(sms.text, /^Thanks Alice for registering, your one time password is \d{6}$/);

    // Not verified yet: login refused with 403 not_verified.
    const early = await call(h.base, 'POST', '/v1/auth/login', { body: { username: 'alice', password: 'correct horse battery' } });
    assert.equal(early.status, 403);
    assert.equal(early.body.error.code, 'not_verified');

    const code = h.sms.lastCodeFor(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const bad = await call(h.base, 'POST', '/v1/auth/verify', { body: { userId: reg.body.userId, code: wrong } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'otp_invalid');
    const ok = await call(h.base, 'POST', '/v1/auth/verify', { body: { userId: reg.body.userId, code } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { verified: true });

    const l = await call(h.base, 'POST', '/v1/auth/login', { body: { username: 'alice@example.test', password: 'correct horse battery' } });
    assert.equal(l.status, 200);
    assert.equal(l.body.method, 'sms');
    assert.equal(h.sms.messages.at(-1)!.template, 'login');
    const v = await call(h.base, 'POST', '/v1/auth/login/verify', { body: { challengeId: l.body.challengeId, code: h.sms.lastCodeFor(phone) } });
    assert.equal(v.status, 200);
    assert.ok(Date.parse(v.body.expiresAt) > Date.now());
    const token = v.body.token as string;

    // A challenge is single-use.
    const again = await call(h.base, 'POST', '/v1/auth/login/verify', { body: { challengeId: l.body.challengeId, code: h.sms.lastCodeFor(phone) } });
    assert.equal(again.status, 400);

    assert.equal((await call(h.base, 'GET', '/v1/me/profile', { token })).status, 200);
    assert.equal((await call(h.base, 'POST', '/v1/auth/logout', { token })).status, 204);
    const after = await call(h.base, 'GET', '/v1/me/profile', { token });
    assert.equal(after.status, 401);
    assert.equal(after.body.error.code, 'unauthorized');
  });

  test('taken username is 409; a wrong phone means registering again under another name', async () => {
    await signUp(h, 'bob');
    const dup = await call(h.base, 'POST', '/v1/auth/register', { body: { username: 'bob', password: 'another password', phone: nextPhone(), firstName: 'Bob' } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'username_taken');
    const other = await call(h.base, 'POST', '/v1/auth/register', { body: { username: 'bob2', password: 'another password', phone: nextPhone(), firstName: 'Bob' } });
    assert.equal(other.status, 201);
  });

  test('OTP brute force: 5 wrong codes void the code (429), even the right code is refused after', async () => {
    const phone = nextPhone();
    const reg = await call(h.base, 'POST', '/v1/auth/register', { body: { username: 'mallory', password: 'correct horse battery', phone, firstName: 'M' } });
    const code = h.sms.lastCodeFor(phone);
    const wrong = code === '123456' ? '654321' : '123456';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(h.base, 'POST', '/v1/auth/verify', { body: { userId: reg.body.userId, code: wrong } })).status);
    assert.deepEqual(statuses, [400, 400, 400, 400, 429]);
    const late = await call(h.base, 'POST', '/v1/auth/verify', { body: { userId: reg.body.userId, code } });
    assert.equal(late.status, 429);
    assert.equal(late.body.error.code, 'otp_locked');
  });

  test('resend has a cooldown (429 resend_cooldown with Retry-After)', async () => {
    const phone = nextPhone();
    const reg = await call(h.base, 'POST', '/v1/auth/register', { body: { username: 'carol', password: 'correct horse battery', phone, firstName: 'Carol' } });
    const r = await call(h.base, 'POST', '/v1/auth/otp/resend', { body: { userId: reg.body.userId } });
    assert.equal(r.status, 429);
    assert.equal(r.body.error.code, 'resend_cooldown');
    assert.ok(Number(r.headers.get('retry-after')) > 0);
  });

  test('expired code answers otp_expired', async () => {
    const phone = nextPhone();
    const reg = await call(h.base, 'POST', '/v1/auth/register', { body: { username: 'dave', password: 'correct horse battery', phone, firstName: 'Dave' } });
    // Re-issue the code already expired (ttl 0) through the store, as a clock jump would.
    await h.accounts.createOtp({ userId: reg.body.userId, purpose: 'register', method: 'sms', code: '424242', ttlMs: 0 });
    const r = await call(h.base, 'POST', '/v1/auth/verify', { body: { userId: reg.body.userId, code: '424242' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'otp_expired');
  });

  test('token tampering, wrong secret, alg none, unknown jti and expiry are 401', async () => {
    const { token, userId } = await signUp(h, 'erin');
    const [head, payload, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: '1' })).toString('base64url');
    const cases = [
      `${head}.${forged}.${sig}`,
      jwt.sign({}, 'not-the-secret', { subject: userId, jwtid: String(claims.jti), issuer: 'heron', expiresIn: 60 }),
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`,
      jwt.sign({}, h.secret, { subject: userId, jwtid: 'never-issued', issuer: 'heron', expiresIn: 60 }),
      jwt.sign({ exp: Math.floor(Date.now() / 1000) - 10 }, h.secret, { subject: userId, jwtid: String(claims.jti), issuer: 'heron' }),
      'garbage',
      token + 'x',
    ];
    for (const t of cases) {
      const r = await call(h.base, 'GET', '/v1/me/profile', { token: t });
      assert.equal(r.status, 401, t);
      assert.equal(r.body.error.code, 'unauthorized');
    }
    assert.equal((await call(h.base, 'GET', '/v1/me/profile', { headers: { authorization: 'Basic abc' } })).status, 401);
    assert.equal((await call(h.base, 'GET', '/v1/me/profile')).status, 401);
    assert.equal((await call(h.base, 'GET', '/v1/me/profile', { token })).status, 200);
  });

  test('a flood of wrong passwords meets 429', async () => {
    await signUp(h, 'frank');
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await call(h.base, 'POST', '/v1/auth/login', { body: { username: 'frank', password: 'wrong password ' + i } })).status);
    // The login policy (auth/): 5 free failures, then each attempt waits (1 s, 2 s, ...).
    assert.deepEqual(statuses.slice(0, 5), Array(5).fill(401));
    assert.ok(statuses.slice(6).every((s) => s === 429), statuses.join(','));
    const r = await call(h.base, 'POST', '/v1/auth/login', { body: { username: 'frank', password: 'correct horse battery' } });
    assert.equal(r.status, 429);
    assert.equal(r.body.error.code, 'login_throttled');
  });

  test('TOTP as second factor; app passwords verify for IMAP/SMTP', async () => {
    const u = await signUp(h, 'grace');
    const setup = await call(h.base, 'POST', '/v1/me/totp', { token: u.token });
    assert.equal(setup.status, 201);
    assert.match(setup.body.otpauthUrl, /^otpauth:\/\/totp\//);
    assert.equal((await call(h.base, 'POST', '/v1/me/totp/enable', { token: u.token, body: { code: '000000' } })).body.error.code, 'otp_invalid');
    const en = await call(h.base, 'POST', '/v1/me/totp/enable', { token: u.token, body: { code: await generate({ secret: setup.body.secret }) } });
    assert.equal(en.status, 200);
    assert.deepEqual(en.body, { enabled: true });
    const l = await call(h.base, 'POST', '/v1/auth/login', { body: { username: 'grace', password: 'correct horse battery' } });
    assert.equal(l.body.method, 'totp');
    const v = await call(h.base, 'POST', '/v1/auth/login/verify', { body: { challengeId: l.body.challengeId, code: await generate({ secret: setup.body.secret }) } });
    assert.equal(v.status, 200);

    const ap = await call(h.base, 'POST', '/v1/me/app-passwords', { token: u.token, body: { name: 'Thunderbird' } });
    assert.equal(ap.status, 201);
    assert.match(ap.body.password, /^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$/);
    assert.equal(await h.accounts.verifyAppPassword(u.userId, ap.body.password), true);
    assert.equal(await h.accounts.verifyAppPassword(u.userId, ap.body.password.replace(/ /g, '')), true);
    assert.equal(await h.accounts.verifyAppPassword(u.userId, 'abcd abcd abcd abcd'), false);
    const list = await call(h.base, 'GET', '/v1/me/app-passwords', { token: u.token });
    assert.equal(list.body.length, 1);
    assert.equal(list.body[0].password, undefined);
    const other = await signUp(h, 'heidi');
    assert.equal((await call(h.base, 'DELETE', `/v1/me/app-passwords/${ap.body.id}`, { token: other.token })).status, 404);
    assert.equal((await call(h.base, 'DELETE', `/v1/me/app-passwords/${ap.body.id}`, { token: u.token })).status, 204);
    assert.equal(await h.accounts.verifyAppPassword(u.userId, ap.body.password), false);
  });

  test('SMS carrier failures are retried and never fail the request', async () => {
    h.sms.failNext(2);
    const phone = nextPhone();
    const reg = await call(h.base, 'POST', '/v1/auth/register', { body: { username: 'ivan', password: 'correct horse battery', phone, firstName: 'Ivan' } });
    assert.equal(reg.status, 201);
    assert.ok(h.sms.lastCodeFor(phone));
    h.sms.failNext(10);
    const phone2 = nextPhone();
    const reg2 = await call(h.base, 'POST', '/v1/auth/register', { body: { username: 'judy', password: 'correct horse battery', phone: phone2, firstName: 'Judy' } });
    assert.equal(reg2.status, 201);
    h.sms.failNext(0);
    assert.throws(() => h.sms.lastCodeFor(phone2));
  });

  test('login helper works after logout of another token (revocation is per token)', async () => {
    const u = await signUp(h, 'kate');
    const second = await login(h, 'kate', 'correct horse battery', u.phone);
    assert.equal((await call(h.base, 'POST', '/v1/auth/logout', { token: u.token })).status, 204);
    assert.equal((await call(h.base, 'GET', '/v1/me/profile', { token: second })).status, 200);
  });
});
