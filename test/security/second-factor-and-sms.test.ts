import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { pino } from 'pino';
import { createCounterFactory } from '../../limits/index.js';
import { createLoginPolicy, createSmsGuard, DEFAULT_SMS_LIMITS } from '../../auth/index.js';
import type { SecurityNotifier } from '../../domain/index.js';
import { call, nextPhone, startApi } from '../admin-api/helpers.js';

describe('second factor: wrong codes count per account across challenges', () => {
  /**
   * Issue 9, "second factor guessable": 60 challenges x 4 wrong codes went through (attempts were
   * counted per challenge) and 60 SMS reached the victim. Now 10 wrong codes lock SMS/TOTP login
   * for the account, the user is told, and the SMS limits stop the flood well before.
   */
  test('60 challenges x 4 wrong codes: at most 10 codes are checked, few SMS are sent, then 429 second_factor_locked', async () => {
    const notices: string[] = [];
    const loginSms: string[] = [];
    const notifier: SecurityNotifier = { notify: async (u, e) => void notices.push(`${u.id}:${e.kind}`) };
    const h = await startApi(({ store, accounts }) => {
      const counters = createCounterFactory();
      const smsGuard = createSmsGuard({ counters, limits: { ...DEFAULT_SMS_LIMITS, perAccountHour: 100, perAccountDay: 100, perPhoneHour: 100, perPhoneDay: 100, perIpHour: 1000, perIpDay: 1000, registrationsPerIpHour: 100 } });
      const loginPolicy = createLoginPolicy({
        users: store.users, accounts, counters, smsGuard, notifier, logger: pino({ level: 'silent' }), otp: { ttlMs: 60_000, maxAttempts: 5 },
        sendLoginSms: async (_u, code) => void loginSms.push(code),
      });
      return { loginPolicy, smsGuard };
    });
    try {
      const phone = nextPhone();
      const reg = await call(h.base, 'POST', '/v1/auth/register', { body: { username: 'victim', password: 'victim-password', phone, firstName: 'V' } });
      assert.equal(reg.status, 201);
      assert.equal((await call(h.base, 'POST', '/v1/auth/verify', { body: { userId: reg.body.userId, code: h.sms.lastCodeFor(phone) } })).status, 200);
      let checked = 0;
      const statuses = new Set<string>();
      for (let round = 0; round < 60; round++) {
        const l = await call(h.base, 'POST', '/v1/auth/login', { body: { username: 'victim', password: 'victim-password' } });
        if (l.status !== 200) {
          statuses.add(`${l.status} ${l.body.error.code}`);
          continue;
        }
        for (let k = 0; k < 4; k++) {
          const wrong = loginSms.at(-1) === '000000' ? '111111' : '000000';
          const v = await call(h.base, 'POST', '/v1/auth/login/verify', { body: { challengeId: l.body.challengeId, code: wrong } });
          if (v.status === 400 && v.body.error.code === 'otp_invalid') checked++;
          statuses.add(`${v.status} ${v.body.error.code}`);
        }
      }
      assert.ok(checked <= 10, `wrong codes checked: ${checked}`);
      assert.ok(loginSms.length <= 4, `login SMS sent: ${loginSms.length}`);
      assert.ok(statuses.has('429 second_factor_locked'), [...statuses].join(', '));
      assert.deepEqual(notices, [`${reg.body.userId}:second_factor_locked`], 'the user is told once');
      const audit = await h.accounts.listAudit({ userId: reg.body.userId, limit: 200 });
      assert.ok(audit.some((e) => e.action === 'second_factor_locked'));
      // The right code does not help while locked, and other users still log in.
      const again = await call(h.base, 'POST', '/v1/auth/login', { body: { username: 'victim', password: 'victim-password' } });
      assert.equal(again.status, 429);
      // So many 429s from one address also put it on the gateway's blacklist.
      assert.match(again.body.error.code, /^(second_factor_locked|ip_blocked)$/);
      assert.equal((await call(h.base, 'GET', '/v1/health', {})).status, 200, 'the server keeps serving');
    } finally {
      await h.close();
    }
  });
});

describe('SMS spend and registration limits', () => {
  /** Issue 9, "SMS pumping": 600 accounts and 600 SMS from one address in 22 s. */
  test('600 registrations from one address: 5 accounts and 5 SMS, then 429 registration_limited; the server keeps serving', async () => {
    const metrics = new Registry();
    const h = await startApi(() => {
      const counters = createCounterFactory();
      return { metrics, smsGuard: createSmsGuard({ counters, limits: DEFAULT_SMS_LIMITS, metrics }) };
    });
    try {
      const statuses: Record<string, number> = {};
      for (let i = 0; i < 600; i++) {
        const r = await call(h.base, 'POST', '/v1/auth/register', { body: { username: `pump${i}`, password: 'pump-password', phone: `+4420${String(7000000 + i)}`, firstName: 'P' } });
        const key = `${r.status} ${r.body?.error?.code ?? ''}`.trim();
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
      assert.equal(statuses['201'], 5, JSON.stringify(statuses));
      assert.equal(h.sms.messages.length, 5);
      assert.ok((statuses['429 registration_limited'] ?? 0) + (statuses['429 ip_blocked'] ?? 0) + (statuses['429 rate_limited'] ?? 0) === 595, JSON.stringify(statuses));
      assert.equal((await call(h.base, 'GET', '/v1/health', {})).status, 200);
    } finally {
      await h.close();
    }
  });

  test('per-phone, per-IP and per-account limits, the global daily cap with its alert metric, E.164 and country lists', async () => {
    const metrics = new Registry();
    const guard = createSmsGuard({ counters: createCounterFactory(), limits: { ...DEFAULT_SMS_LIMITS, globalDay: 6, allowCountryCodes: ['1', '44'] }, metrics });
    const take = (phone: string, ip = '192.0.2.1', userId: string | null = null) => guard.take({ phone, ip, userId, purpose: 'login' });
    assert.deepEqual(await take('0044123'), { ok: false, reason: 'phone_invalid' });
    assert.deepEqual(await take('+882123456789'), { ok: false, reason: 'phone_not_allowed' }, 'satellite range denied by default');
    assert.deepEqual(await take('+33612345678'), { ok: false, reason: 'phone_not_allowed' }, 'not on the allow list');
    for (let i = 0; i < 3; i++) assert.equal((await take('+15550001111')).ok, true);
    const perPhone = await take('+15550001111');
    assert.equal(!perPhone.ok && perPhone.reason, 'limited', 'fourth code to one phone within the hour');
    for (let i = 0; i < 3; i++) assert.equal((await take(`+1555000200${i}`, '192.0.2.2', 'u1')).ok, true);
    // Six SMS so far: the global cap is reached and raised as a metric.
    const capped = await take('+447700900123', '192.0.2.3');
    assert.equal(!capped.ok && capped.reason, 'global_cap');
    const text = await metrics.metrics();
    assert.match(text, /heron_sms_global_cap_reached 1/);
    assert.match(text, /heron_sms_refused_total\{reason="global_cap"\} 1/);
    const perAccount = createSmsGuard({ counters: createCounterFactory(), limits: DEFAULT_SMS_LIMITS });
    for (let i = 0; i < 5; i++) assert.equal((await perAccount.take({ phone: `+1555100000${i}`, ip: `198.51.100.${i}`, userId: 'acct', purpose: 'login' })).ok, true);
    const sixth = await perAccount.take({ phone: '+15551000009', ip: '198.51.100.9', userId: 'acct', purpose: 'login' });
    assert.equal(!sixth.ok && sixth.reason, 'limited', 'sixth code for one account within the hour');
  });
});
