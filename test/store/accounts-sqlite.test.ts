import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type SqliteDb } from '../../store/sqlite/db.js';
import { createAccountStore } from '../../store/sqlite/accounts/index.js';
import type { AccountStore } from '../../domain/account-store.js';
import { DEFAULT_PREFERENCES } from '../../domain/preferences.js';
import { isStoreError } from '../../domain/errors.js';

describe('SQLite AccountStore', () => {
  let dir: string;
  let db: SqliteDb;
  let a: AccountStore;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-accounts-'));
    db = openDatabase(path.join(dir, 'a.db'));
    a = createAccountStore(db);
  });
  after(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('OTP codes are stored hashed, expire, count attempts and lock after the limit', async () => {
    const c = await a.createOtp({ userId: 'u1', purpose: 'register', method: 'sms', code: '123456', ttlMs: 60_000 });
    const row = db.prepare('SELECT code_hash FROM otp_codes WHERE id = ?').get(c.id) as { code_hash: string };
    assert.ok(!row.code_hash.includes('123456'));
    assert.deepEqual(await a.checkOtp({ userId: 'u1', purpose: 'register' }, '000000', { maxAttempts: 3 }), { result: 'invalid', attemptsLeft: 2 });
    assert.equal((await a.checkOtp({ userId: 'u1', purpose: 'register' }, '123456', { maxAttempts: 3 })).result, 'ok');
    // Consumed: a second use fails.
    assert.equal((await a.checkOtp({ userId: 'u1', purpose: 'register' }, '123456', { maxAttempts: 3 })).result, 'not_found');

    await a.createOtp({ userId: 'u2', purpose: 'register', method: 'sms', code: '111111', ttlMs: 60_000 });
    for (let i = 0; i < 2; i++) assert.equal((await a.checkOtp({ userId: 'u2', purpose: 'register' }, '222222', { maxAttempts: 3 })).result, 'invalid');
    assert.equal((await a.checkOtp({ userId: 'u2', purpose: 'register' }, '222222', { maxAttempts: 3 })).result, 'locked');
    assert.equal((await a.checkOtp({ userId: 'u2', purpose: 'register' }, '111111', { maxAttempts: 3 })).result, 'locked');

    const past = new Date(Date.now() - 3_600_000);
    await a.createOtp({ userId: 'u3', purpose: 'register', method: 'sms', code: '333333', ttlMs: 60_000, now: past });
    assert.equal((await a.checkOtp({ userId: 'u3', purpose: 'register' }, '333333', { maxAttempts: 3 })).result, 'expired');

    // A new code voids the old one; challenges are found by id; TOTP challenges verify through the callback.
    const first = await a.createOtp({ userId: 'u4', purpose: 'login', method: 'sms', code: '444444', ttlMs: 60_000 });
    const second = await a.createOtp({ userId: 'u4', purpose: 'login', method: 'totp', code: null, ttlMs: 60_000 });
    assert.equal((await a.checkOtp({ id: first.id }, '444444', { maxAttempts: 3 })).result, 'not_found');
    assert.equal((await a.checkOtp({ id: second.id }, '555555', { maxAttempts: 3, verify: async (c) => c === '555555' })).result, 'ok');
    assert.equal((await a.latestOtp('u4', 'login'))?.id, second.id);
    assert.equal((await a.checkOtp({ id: 'nope' }, '1', { maxAttempts: 3 })).result, 'not_found');
  });

  test('tokens: record, revoke one, revoke all of a user', async () => {
    const now = new Date();
    await a.recordToken({ jti: 'j1', userId: 'u1', createdAt: now, expiresAt: new Date(now.getTime() + 60_000) });
    await a.recordToken({ jti: 'j2', userId: 'u1', createdAt: now, expiresAt: new Date(now.getTime() + 60_000) });
    assert.equal((await a.getToken('j1'))?.revoked, false);
    await a.revokeToken('j1');
    assert.equal((await a.getToken('j1'))?.revoked, true);
    assert.equal(await a.revokeUserTokens('u1'), 1);
    assert.equal((await a.getToken('j2'))?.revoked, true);
    assert.equal(await a.getToken('missing'), null);
  });

  test('preferences default, round-trip and merge vacation defaults', async () => {
    assert.deepEqual(await a.getPreferences('p1'), DEFAULT_PREFERENCES);
    const p = { ...DEFAULT_PREFERENCES, language: 'de', blockSenders: ['@spam.test'] };
    await a.setPreferences('p1', p);
    assert.deepEqual(await a.getPreferences('p1'), p);
    assert.deepEqual(await a.getPreferences('p2'), DEFAULT_PREFERENCES);
  });

  test('app passwords are hashed, per user, and revocable', async () => {
    const { record, password } = await a.createAppPassword('u1', 'phone');
    assert.equal(await a.verifyAppPassword('u1', password), true);
    assert.equal(await a.verifyAppPassword('u1', password.toUpperCase()), true);
    assert.equal(await a.verifyAppPassword('u2', password), false);
    const stored = db.prepare('SELECT hash FROM app_passwords WHERE id = ?').get(Number(record.id)) as { hash: string };
    assert.ok(!stored.hash.includes(password.replace(/ /g, '')));
    assert.ok((await a.listAppPasswords('u1'))[0]!.lastUsedAt);
    await assert.rejects(a.deleteAppPassword('u2', record.id), (e) => isStoreError(e, 'not_found'));
    await assert.rejects(a.deleteAppPassword('u1', 'x; DROP TABLE'), (e) => isStoreError(e, 'not_found'));
    await a.deleteAppPassword('u1', record.id);
    assert.equal(await a.verifyAppPassword('u1', password), false);
  });

  test('contacts and groups are isolated per user; deleting user data cleans up', async () => {
    const c = await a.createContact('u1', { name: 'Zed', email: 'ZED@x.test' });
    assert.equal(c.email, 'zed@x.test');
    assert.equal(await a.getContact('u2', c.id), null);
    await assert.rejects(a.updateContact('u2', c.id, { name: 'x', email: 'x@x.test' }), (e) => isStoreError(e, 'not_found'));
    await assert.rejects(a.createGroup('u2', { name: 'g', contactIds: [c.id] }), (e) => isStoreError(e, 'not_found'));
    const g = await a.createGroup('u1', { name: 'G', contactIds: [c.id, c.id] });
    assert.deepEqual(g.contactIds, [c.id]);
    assert.equal(await a.getGroup('u2', g.id), null);
    await assert.rejects(a.removeGroupMember('u1', g.id, '999'), (e) => isStoreError(e, 'not_found'));
    await a.audit({ userId: 'u1', action: 'test', ip: '127.0.0.1', details: { a: 1 } });
    assert.equal((await a.listAudit({ userId: 'u1' }))[0]!.action, 'test');
    await a.deleteUserData('u1');
    assert.equal((await a.listContacts('u1')).length, 0);
    assert.equal((await a.listGroups('u1')).length, 0);
  });

  test('migrations are idempotent on reopen', () => {
    const again = createAccountStore(db);
    assert.ok(again);
  });
});
