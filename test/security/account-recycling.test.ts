import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createAccountDeletion } from '../../accounts/index.js';
import { createSqliteQueueStore } from '../../store/sqlite/queue/index.js';
import { call, startApi } from '../admin-api/helpers.js';
import { testPolicy } from './helpers.js';

/**
 * Issue 9, "account takeover after heron user delete": the next user got the deleted user's id,
 * and with it the old token, app password and contacts. Deletion now goes through one service
 * (the CLI's `user delete` builds exactly this one) and ids are never reused.
 */
test('deleting a user (CLI service) revokes token and app password; the next user gets a new id and nothing of the old one', async () => {
  const h = await startApi({ tokenCacheTtlMs: 0 });
  try {
    const users = h.store.users;
    // Two operator-made users (no phone: a password login gives a token straight away).
    await users.createUser({ username: 'keep', address: 'keep@example.test', password: 'keep-password-1', verified: true });
    const old = await users.createUser({ username: 'old', address: 'old@example.test', password: 'old-password-1', verified: true });
    const login = await call(h.base, 'POST', '/v1/auth/login', { body: { username: 'old', password: 'old-password-1' } });
    assert.equal(login.status, 200);
    const token = login.body.token as string;
    const app = await call(h.base, 'POST', '/v1/me/app-passwords', { token, body: { name: 'phone' } });
    assert.equal(app.status, 201);
    assert.equal((await call(h.base, 'POST', '/v1/contacts', { token, body: { name: 'Secret', email: 'secret@x.test' } })).status, 201);
    const queue = createSqliteQueueStore(h.store.db);
    await queue.enqueue({ sender: 'old@example.test', recipients: ['r@remote.test'], raw: Buffer.from('Subject: q\r\n\r\nx\r\n'), userId: old.id });

    const deletion = createAccountDeletion({ users, accounts: h.accounts, queue, logger: pino({ level: 'silent' }) });
    await deletion.deleteAccount(old.id, { actor: 'cli' });

    const fresh = await users.createUser({ username: 'fresh', address: 'fresh@example.test', password: 'fresh-password-1', verified: true });
    assert.notEqual(fresh.id, old.id, 'the id is not recycled');
    const me = await call(h.base, 'GET', '/v1/me/profile', { token });
    assert.equal(me.status, 401, 'the old token is dead');
    const policy = testPolicy(users, h.accounts);
    for (const login of ['old@example.test', 'fresh@example.test', 'fresh']) {
      const r = await policy.protocolLogin({ login, password: app.body.password, ip: '192.0.2.1', protocol: 'imap' });
      assert.equal(r.ok, false, `old app password refused for ${login}`);
    }
    assert.deepEqual(await h.accounts.listContacts(fresh.id), []);
    assert.deepEqual(await h.accounts.listContacts(old.id), []);
    assert.equal((await queue.list()).filter((e) => e.userId === old.id).length, 0, 'queue entries gone');
    const audit = await h.accounts.listAudit({ limit: 5 });
    assert.ok(audit.some((e) => e.action === 'account_deleted'));
    // The server keeps serving the others.
    const keep = await call(h.base, 'POST', '/v1/auth/login', { body: { username: 'keep', password: 'keep-password-1' } });
    assert.equal(keep.status, 200);
  } finally {
    await h.close();
  }
});
