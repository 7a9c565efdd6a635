import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PREFERENCES, isStoreError } from '../../../domain/index.js';
import type { Backend } from '../backends.js';
import { contractSuite } from './run.js';

/** The AccountStore contract (domain/account-store.ts). */
export function runAccountStoreContract(backend: Backend): void {
  contractSuite('AccountStore', backend, (h) => {
    const a = () => h().store.accounts;

    test('OTP codes expire, count attempts and lock after the limit; a good code is used once', async () => {
      await a().createOtp({ userId: 'u1', purpose: 'register', method: 'sms', code: '123456', ttlMs: 60_000 });
      assert.deepEqual(await a().checkOtp({ userId: 'u1', purpose: 'register' }, '000000', { maxAttempts: 3 }), { result: 'invalid', attemptsLeft: 2 });
      assert.equal((await a().checkOtp({ userId: 'u1', purpose: 'register' }, '123456', { maxAttempts: 3 })).result, 'ok');
      assert.equal((await a().checkOtp({ userId: 'u1', purpose: 'register' }, '123456', { maxAttempts: 3 })).result, 'not_found', 'consumed');

      await a().createOtp({ userId: 'u2', purpose: 'register', method: 'sms', code: '111111', ttlMs: 60_000 });
      for (let i = 0; i < 2; i++) assert.equal((await a().checkOtp({ userId: 'u2', purpose: 'register' }, '222222', { maxAttempts: 3 })).result, 'invalid');
      assert.equal((await a().checkOtp({ userId: 'u2', purpose: 'register' }, '222222', { maxAttempts: 3 })).result, 'locked');
      assert.equal((await a().checkOtp({ userId: 'u2', purpose: 'register' }, '111111', { maxAttempts: 3 })).result, 'locked');

      const past = new Date(Date.now() - 3_600_000);
      await a().createOtp({ userId: 'u3', purpose: 'register', method: 'sms', code: '333333', ttlMs: 60_000, now: past });
      assert.equal((await a().checkOtp({ userId: 'u3', purpose: 'register' }, '333333', { maxAttempts: 3 })).result, 'expired');
    });

    test('a new code voids the old one; challenges by id; TOTP challenges verify through the callback', async () => {
      const first = await a().createOtp({ userId: 'u4', purpose: 'login', method: 'sms', code: '444444', ttlMs: 60_000 });
      const second = await a().createOtp({ userId: 'u4', purpose: 'login', method: 'totp', code: null, ttlMs: 60_000 });
      assert.equal((await a().getOtp(first.id))?.consumed, true);
      assert.equal((await a().checkOtp({ id: first.id }, '444444', { maxAttempts: 3 })).result, 'not_found');
      assert.equal((await a().latestOtp('u4', 'login'))?.id, second.id);
      assert.equal((await a().checkOtp({ id: second.id }, '555555', { maxAttempts: 3, verify: async (c) => c === '555555' })).result, 'ok');
      assert.equal((await a().checkOtp({ id: 'nope' }, '1', { maxAttempts: 3 })).result, 'not_found');
      assert.equal(await a().getOtp('nope'), null);
    });

    test('the same good code presented twice at once is accepted once', async () => {
      await a().createOtp({ userId: 'u5', purpose: 'register', method: 'sms', code: '777777', ttlMs: 60_000 });
      const results = await Promise.all([1, 2, 3].map(() => a().checkOtp({ userId: 'u5', purpose: 'register' }, '777777', { maxAttempts: 5 })));
      assert.equal(results.filter((r) => r.result === 'ok').length, 1);
    });

    test('tokens: record, list live ones newest first, revoke one, revoke all of a user', async () => {
      const now = new Date();
      const later = new Date(now.getTime() + 60_000);
      await a().recordToken({ jti: 'j1', userId: 't1', createdAt: new Date(now.getTime() - 2000), expiresAt: later });
      await a().recordToken({ jti: 'j2', userId: 't1', createdAt: new Date(now.getTime() - 1000), expiresAt: later });
      await a().recordToken({ jti: 'j0', userId: 't1', createdAt: new Date(now.getTime() - 9000), expiresAt: new Date(now.getTime() - 1) });
      assert.deepEqual((await a().listTokens('t1')).map((t) => t.jti), ['j2', 'j1']);
      assert.equal((await a().getToken('j1'))?.revoked, false);
      await a().revokeToken('j1');
      assert.equal((await a().getToken('j1'))?.revoked, true);
      assert.equal(await a().revokeUserTokens('t1'), 2, 'j2 and the expired j0');
      assert.equal((await a().getToken('j2'))?.revoked, true);
      assert.deepEqual(await a().listTokens('t1'), []);
      assert.equal(await a().getToken('missing'), null);
    });

    test('preferences default, round-trip and merge vacation defaults; TOTP state', async () => {
      assert.deepEqual(await a().getPreferences('p1'), DEFAULT_PREFERENCES);
      const p = { ...DEFAULT_PREFERENCES, language: 'de', blockSenders: ['@spam.test'] };
      await a().setPreferences('p1', p);
      assert.deepEqual(await a().getPreferences('p1'), p);
      assert.deepEqual(await a().getPreferences('p2'), DEFAULT_PREFERENCES);
      assert.equal(await a().getTotp('p1'), null);
      await a().setTotp('p1', { secret: 'S', enabled: false });
      await a().setTotp('p1', { secret: 'S2', enabled: true });
      assert.deepEqual(await a().getTotp('p1'), { secret: 'S2', enabled: true });
      await a().setTotp('p1', null);
      assert.equal(await a().getTotp('p1'), null);
    });

    test('app passwords verify (case and spaces ignored), per user, and are revocable', async () => {
      const { record, password } = await a().createAppPassword('u1', 'phone');
      assert.match(password, /^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$/);
      assert.equal(await a().verifyAppPassword('u1', password), true);
      assert.equal(await a().verifyAppPassword('u1', password.toUpperCase().replace(/ /g, '')), true);
      assert.equal(await a().verifyAppPassword('u2', password), false);
      const listed = await a().listAppPasswords('u1');
      assert.deepEqual(listed.map((p) => [p.id, p.name]), [[record.id, 'phone']]);
      assert.ok(listed[0]!.lastUsedAt);
      await assert.rejects(a().deleteAppPassword('u2', record.id), (e) => isStoreError(e, 'not_found'));
      await assert.rejects(a().deleteAppPassword('u1', 'x; DROP TABLE'), (e) => isStoreError(e, 'not_found'));
      await a().deleteAppPassword('u1', record.id);
      assert.equal(await a().verifyAppPassword('u1', password), false);
    });

    test('contacts: sorted by name without case, paged, isolated per user', async () => {
      const z = await a().createContact('c1', { name: 'Zed', email: 'ZED@x.test' });
      await a().createContact('c1', { name: 'amy', email: 'amy@x.test', phone: '+1555', notes: 'n' });
      await a().createContact('c1', { name: 'Bob', email: 'bob@x.test' });
      assert.equal(z.email, 'zed@x.test');
      assert.deepEqual((await a().listContacts('c1')).map((c) => c.name), ['amy', 'Bob', 'Zed']);
      assert.deepEqual((await a().listContacts('c1', { limit: 1, offset: 1 })).map((c) => c.name), ['Bob']);
      assert.equal(await a().getContact('c2', z.id), null);
      assert.equal(await a().getContact('c1', 'not-an-id'), null);
      await assert.rejects(a().updateContact('c2', z.id, { name: 'x', email: 'x@x.test' }), (e) => isStoreError(e, 'not_found'));
      const u = await a().updateContact('c1', z.id, { name: 'Zed Z', email: 'Z2@x.test' });
      assert.equal(u.email, 'z2@x.test');
      assert.equal(u.phone, null);
      await assert.rejects(a().deleteContact('c2', z.id), (e) => isStoreError(e, 'not_found'));
    });

    test('groups: members must be the user\'s contacts; add, remove, replace; a deleted contact leaves its groups', async () => {
      const c = await a().createContact('g1', { name: 'Ann', email: 'ann@x.test' });
      const d = await a().createContact('g1', { name: 'Dan', email: 'dan@x.test' });
      await assert.rejects(a().createGroup('g2', { name: 'g', contactIds: [c.id] }), (e) => isStoreError(e, 'not_found'));
      assert.equal((await a().listGroups('g2')).length, 0, 'a refused create leaves nothing');
      const g = await a().createGroup('g1', { name: 'G', contactIds: [c.id, c.id] });
      assert.deepEqual(g.contactIds, [c.id]);
      assert.equal(await a().getGroup('g2', g.id), null);
      assert.deepEqual((await a().addGroupMembers('g1', g.id, [d.id, c.id])).contactIds.sort(), [c.id, d.id].sort());
      await assert.rejects(a().removeGroupMember('g1', g.id, '999'), (e) => isStoreError(e, 'not_found'));
      assert.deepEqual((await a().removeGroupMember('g1', g.id, c.id)).contactIds, [d.id]);
      assert.deepEqual((await a().updateGroup('g1', g.id, { name: 'H', contactIds: [c.id] })).contactIds, [c.id]);
      assert.equal((await a().getGroup('g1', g.id))?.name, 'H');
      await a().deleteContact('g1', c.id);
      assert.deepEqual((await a().getGroup('g1', g.id))?.contactIds, []);
      await a().deleteGroup('g1', g.id);
      await assert.rejects(a().deleteGroup('g1', g.id), (e) => isStoreError(e, 'not_found'));
    });

    test('audit newest first, per user; deleting user data cleans up the rest', async () => {
      await a().audit({ userId: 'd1', action: 'first', ip: '127.0.0.1', details: { a: 1 } });
      await a().audit({ userId: 'd1', action: 'second' });
      await a().audit({ userId: null, action: 'system' });
      const mine = await a().listAudit({ userId: 'd1' });
      assert.deepEqual(mine.map((e) => e.action), ['second', 'first']);
      assert.deepEqual(mine[1]!.details, { a: 1 });
      assert.equal(mine[1]!.ip, '127.0.0.1');
      assert.ok((await a().listAudit({ limit: 1000 })).some((e) => e.action === 'system' && e.userId === null));
      const c = await a().createContact('d1', { name: 'X', email: 'x@x.test' });
      await a().createGroup('d1', { name: 'G', contactIds: [c.id] });
      await a().createAppPassword('d1', 'p');
      await a().setPreferences('d1', { ...DEFAULT_PREFERENCES, language: 'fr' });
      await a().recordToken({ jti: 'dj', userId: 'd1', createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) });
      await a().deleteUserData('d1');
      assert.equal((await a().listContacts('d1')).length, 0);
      assert.equal((await a().listGroups('d1')).length, 0);
      assert.equal((await a().listAppPasswords('d1')).length, 0);
      assert.deepEqual(await a().getPreferences('d1'), DEFAULT_PREFERENCES);
      assert.equal(await a().getToken('dj'), null);
    });

    test('account data survives a reopen', async () => {
      await a().recordToken({ jti: 'keep', userId: 'r1', createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) });
      await h().reopen();
      assert.equal((await a().getToken('keep'))?.userId, 'r1');
    });
  });
}
