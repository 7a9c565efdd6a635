import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, call, signUp, type Harness } from './helpers.js';

describe('profile, preferences, contacts, groups, admin', () => {
  let h: Harness;
  let ann: { token: string; userId: string };
  let ben: { token: string; userId: string };
  before(async () => {
    h = await startApi();
    ann = await signUp(h, 'ann');
    ben = await signUp(h, 'ben');
  });
  after(async () => {
    await h.close();
  });

  test('profile get and put; unknown fields refused', async () => {
    const p = await call(h.base, 'GET', '/v1/me/profile', { token: ann.token });
    assert.equal(p.status, 200);
    assert.equal(p.body.address, 'ann@example.test');
    assert.equal(p.body.firstName, 'Ann');
    const u = await call(h.base, 'PUT', '/v1/me/profile', { token: ann.token, body: { lastName: 'Smith', displayName: 'Ann Smith' } });
    assert.equal(u.status, 200);
    assert.equal(u.body.displayName, 'Ann Smith');
    assert.equal(u.body.firstName, 'Ann');
    const bad = await call(h.base, 'PUT', '/v1/me/profile', { token: ann.token, body: { admin: true } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_request');
    assert.equal((await call(h.base, 'PUT', '/v1/me/profile', { token: ann.token, body: { phone: '12345' } })).status, 400);
    const noPw = await call(h.base, 'PUT', '/v1/me/profile', { token: ann.token, body: { phone: '+15559998888' } });
    assert.equal(noPw.status, 403);
    assert.equal(noPw.body.error.code, 'password_required');
    assert.equal((await call(h.base, 'PUT', '/v1/me/profile', { token: ann.token, body: { phone: '+15559998888', currentPassword: 'wrong' } })).status, 403);
    const withPw = await call(h.base, 'PUT', '/v1/me/profile', { token: ann.token, body: { phone: '+15559998888', currentPassword: 'correct horse battery' } });
    assert.equal(withPw.body.phone, '+15559998888');
  });

  test('preferences: defaults, merge, BCP 47 and IANA validation, unknown fields refused', async () => {
    const d = await call(h.base, 'GET', '/v1/me/preferences', { token: ann.token });
    assert.equal(d.status, 200);
    assert.equal(d.body.language, 'en');
    assert.equal(d.body.timezone, 'UTC');
    const u = await call(h.base, 'PUT', '/v1/me/preferences', {
      token: ann.token,
      body: { language: 'pt-br', timezone: 'Europe/Lisbon', signature: 'Ann\nexample', vacation: { enabled: true, subject: 'Away' }, blockSenders: ['Spam@Bad.Test', '@worse.test'] },
    });
    assert.equal(u.status, 200, JSON.stringify(u.body));
    assert.equal(u.body.language, 'pt-BR');
    assert.equal(u.body.vacation.enabled, true);
    assert.equal(u.body.vacation.body, '');
    assert.deepEqual(u.body.blockSenders, ['spam@bad.test', '@worse.test']);
    assert.equal((await h.accounts.getPreferences(ann.userId)).timezone, 'Europe/Lisbon');
    for (const body of [{ timezone: 'Mars/Olympus' }, { timezone: '+01:00' }, { language: 'not a tag!' }, { colour: 'blue' }, { vacation: { enabled: 'yes' } }, { spamHandling: 'delete' }, { vacation: { start: 'tomorrow' } }, { vacation: { start: '2026-02-01', end: '2026-01-01' } }]) {
      const r = await call(h.base, 'PUT', '/v1/me/preferences', { token: ann.token, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'invalid_request');
    }
  });

  test('contacts CRUD; another user sees 404', async () => {
    const c = await call(h.base, 'POST', '/v1/contacts', { token: ann.token, body: { name: 'Carl', email: 'Carl@Example.Test', phone: '+15550001111' } });
    assert.equal(c.status, 201);
    assert.equal(c.body.email, 'carl@example.test');
    assert.equal((await call(h.base, 'GET', `/v1/contacts/${c.body.id}`, { token: ann.token })).body.name, 'Carl');
    const up = await call(h.base, 'PUT', `/v1/contacts/${c.body.id}`, { token: ann.token, body: { name: 'Carl Jr', email: 'carl@example.test', notes: 'met at conf' } });
    assert.equal(up.status, 200);
    assert.equal(up.body.notes, 'met at conf');
    assert.equal((await call(h.base, 'GET', '/v1/contacts', { token: ann.token })).body.length, 1);
    for (const [m, body] of [['GET', undefined], ['PUT', { name: 'x', email: 'x@y.test' }], ['DELETE', undefined]] as const) {
      const r = await call(h.base, m, `/v1/contacts/${c.body.id}`, { token: ben.token, ...(body ? { body } : {}) });
      assert.equal(r.status, 404, m);
      assert.equal(r.body.error.code, 'not_found');
    }
    assert.equal((await call(h.base, 'GET', '/v1/contacts', { token: ben.token })).body.length, 0);
    assert.equal((await call(h.base, 'GET', '/v1/contacts/abc', { token: ann.token })).status, 404);
    assert.equal((await call(h.base, 'POST', '/v1/contacts', { token: ann.token, body: { name: 'No mail', email: 'not-an-address' } })).status, 400);
    assert.equal((await call(h.base, 'DELETE', `/v1/contacts/${c.body.id}`, { token: ann.token })).status, 204);
    assert.equal((await call(h.base, 'GET', `/v1/contacts/${c.body.id}`, { token: ann.token })).status, 404);
  });

  test('groups with members; foreign contacts and groups are 404', async () => {
    const c1 = (await call(h.base, 'POST', '/v1/contacts', { token: ann.token, body: { name: 'One', email: 'one@example.test' } })).body;
    const c2 = (await call(h.base, 'POST', '/v1/contacts', { token: ann.token, body: { name: 'Two', email: 'two@example.test' } })).body;
    const foreign = (await call(h.base, 'POST', '/v1/contacts', { token: ben.token, body: { name: 'Ben friend', email: 'bf@example.test' } })).body;
    const g = await call(h.base, 'POST', '/v1/groups', { token: ann.token, body: { name: 'Team', contactIds: [c1.id] } });
    assert.equal(g.status, 201);
    assert.deepEqual(g.body.contactIds, [c1.id]);
    assert.equal(g.body.members[0].email, 'one@example.test');
    const add = await call(h.base, 'POST', `/v1/groups/${g.body.id}/members`, { token: ann.token, body: { contactIds: [c2.id] } });
    assert.deepEqual(add.body.contactIds.sort(), [c1.id, c2.id].sort());
    assert.equal((await call(h.base, 'POST', `/v1/groups/${g.body.id}/members`, { token: ann.token, body: { contactIds: [foreign.id] } })).status, 404);
    assert.equal((await call(h.base, 'POST', '/v1/groups', { token: ann.token, body: { name: 'Bad', contactIds: [foreign.id] } })).status, 404);
    assert.equal((await call(h.base, 'GET', `/v1/groups/${g.body.id}`, { token: ben.token })).status, 404);
    assert.equal((await call(h.base, 'POST', `/v1/groups/${g.body.id}/members`, { token: ben.token, body: { contactIds: [foreign.id] } })).status, 404);
    const rm = await call(h.base, 'DELETE', `/v1/groups/${g.body.id}/members/${c1.id}`, { token: ann.token });
    assert.deepEqual(rm.body.contactIds, [c2.id]);
    const put = await call(h.base, 'PUT', `/v1/groups/${g.body.id}`, { token: ann.token, body: { name: 'Team B', contactIds: [c1.id, c2.id] } });
    assert.equal(put.body.name, 'Team B');
    assert.equal(put.body.members.length, 2);
    // Deleting a contact removes it from groups.
    await call(h.base, 'DELETE', `/v1/contacts/${c2.id}`, { token: ann.token });
    assert.deepEqual((await call(h.base, 'GET', `/v1/groups/${g.body.id}`, { token: ann.token })).body.contactIds, [c1.id]);
    assert.equal((await call(h.base, 'DELETE', `/v1/groups/${g.body.id}`, { token: ben.token })).status, 404);
    assert.equal((await call(h.base, 'DELETE', `/v1/groups/${g.body.id}`, { token: ann.token })).status, 204);
  });

  test('admin: non-admins 403; admin lists, creates, disables (tokens die at once), deletes', async () => {
    assert.equal((await call(h.base, 'GET', '/v1/admin/users', { token: ann.token })).status, 403);
    await h.store.users.createUser({ username: 'root', address: 'root@example.test', password: 'admin password 1', verified: true, admin: true });
    // No phone and no TOTP: the password alone gives a token.
    const l = await call(h.base, 'POST', '/v1/auth/login', { body: { username: 'root', password: 'admin password 1' } });
    assert.equal(l.status, 200);
    const admin = l.body.token as string;
    const list = await call(h.base, 'GET', '/v1/admin/users', { token: admin });
    assert.equal(list.status, 200);
    assert.ok(list.body.some((u: { username: string }) => u.username === 'ann'));
    assert.ok(list.body.every((u: Record<string, unknown>) => !('password' in u) && !('passwordHash' in u)));
    const created = await call(h.base, 'POST', '/v1/admin/users', { token: admin, body: { username: 'zoe', password: 'zoe password 1' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.verified, true);
    assert.equal((await call(h.base, 'POST', '/v1/admin/users', { token: admin, body: { username: 'zoe', password: 'zoe password 1' } })).status, 409);
    assert.equal((await call(h.base, 'POST', '/v1/admin/users', { token: admin, body: { username: 'yan', password: 'yan password 1', address: 'yan@elsewhere.test' } })).status, 422);
    const dis = await call(h.base, 'POST', `/v1/admin/users/${ben.userId}/disable`, { token: admin, body: {} });
    assert.equal(dis.status, 200);
    assert.equal(dis.body.disabled, true);
    assert.equal((await call(h.base, 'GET', '/v1/me/profile', { token: ben.token })).status, 401);
    assert.equal((await call(h.base, 'DELETE', '/v1/admin/users/999999', { token: admin })).status, 404);
    assert.equal((await call(h.base, 'DELETE', `/v1/admin/users/${created.body.id}`, { token: admin })).status, 204);
    assert.equal(await h.store.users.getUser(created.body.id), null);
    const audit = await call(h.base, 'GET', '/v1/admin/audit?limit=5', { token: admin });
    assert.equal(audit.status, 200);
    assert.equal(audit.body[0].action, 'account_deleted');
  });
});

describe('IMAP/SMTP credential check (the login policy)', () => {
  test('app passwords always; account password refused once requireAppPasswords is on with a second factor', async () => {
    const { createLoginPolicy, createSmsGuard, DEFAULT_SMS_LIMITS } = await import('../../auth/index.js');
    const { createCounterFactory } = await import('../../limits/index.js');
    const { pino } = await import('pino');
    const h = await startApi();
    try {
      const u = await signUp(h, 'nina');
      const counters = createCounterFactory();
      const policy = createLoginPolicy({
        users: h.store.users, accounts: h.accounts, counters, smsGuard: createSmsGuard({ counters, limits: DEFAULT_SMS_LIMITS }),
        logger: pino({ level: 'silent' }), otp: { ttlMs: 60_000, maxAttempts: 5 }, sendLoginSms: async () => undefined,
      });
      const check = async (login: string, password: string) => {
        const r = await policy.protocolLogin({ login, password, ip: '192.0.2.9', protocol: 'imap' });
        return r.ok ? r : null;
      };
      assert.equal((await check('nina@example.test', 'correct horse battery'))?.method, 'password');
      const ap = await call(h.base, 'POST', '/v1/me/app-passwords', { token: u.token, body: { name: 'imap' } });
      assert.equal((await check('nina', ap.body.password))?.method, 'app-password');
      await call(h.base, 'PUT', '/v1/me/preferences', { token: u.token, body: { requireAppPasswords: true } });
      assert.equal(await check('nina', 'correct horse battery'), null);
      assert.equal((await check('nina', ap.body.password))?.user.id, u.userId);
      assert.equal(await check('nina', 'wrong'), null);
      assert.equal(await check('nobody', 'x'), null);
    } finally {
      await h.close();
    }
  });
});
