import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { baseEnv, freePort, heronCli, startHeronProcess } from '../helpers/heron-process.js';

/**
 * Issue 9's takeover, as reported, against `heron start` and the real CLI: `heron user delete`
 * then `heron user add` gave the new user the old id, so the old token, app password and
 * contacts became the new user's. Now: a new id, and nothing of the old account works.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'heron-recycle-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('heron user delete + user add: the old token, app password and contacts reach nothing', async () => {
  const api = await freePort();
  const imap = await freePort();
  const env = baseEnv(dataDir, { HERON_API_PORT: String(api), HERON_IMAP_PORT: String(imap) });
  const add = (address: string, password: string) => heronCli(['user', 'add', address, '--password-file', '-'], env, { input: `${password}\n` });
  assert.equal(add('old@heron.test', 'old-password-1').status, 0);
  const heron = startHeronProcess(env);
  try {
    await heron.waitFor(/"listener":"api"/);
    await heron.waitFor(/"listener":"imap"/);
    const base = `http://127.0.0.1:${api}`;
    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await fetch(base + path, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    const login = await call('POST', '/v1/auth/login', { username: 'old@heron.test', password: 'old-password-1' });
    assert.equal(login.status, 200);
    const token = login.body.token as string;
    const app = await call('POST', '/v1/me/app-passwords', { name: 'phone' }, token);
    assert.equal(app.status, 201);
    assert.equal((await call('POST', '/v1/contacts', { name: 'Secret Source', email: 'source@x.test' }, token)).status, 201);
    const oldId = (await call('GET', '/v1/me/profile', undefined, token)).body.id ?? null;

    const del = heronCli(['user', 'delete', 'old@heron.test'], env);
    assert.equal(del.status, 0, del.stderr);
    const created = add('new@heron.test', 'new-password-1');
    assert.equal(created.status, 0, created.stderr);
    const newId = /\(id (\d+)\)/.exec(created.stdout)?.[1];
    assert.ok(newId);
    if (oldId) assert.notEqual(newId, String(oldId));

    const profile = await call('GET', '/v1/me/profile', undefined, token);
    assert.equal(profile.status, 401, 'the old token is dead at once');
    for (const user of ['new@heron.test', 'old@heron.test']) {
      const client = new ImapFlow({ host: '127.0.0.1', port: imap, secure: false, tls: { rejectUnauthorized: false }, auth: { user, pass: app.body.password as string }, logger: false });
      await assert.rejects(client.connect(), `the old app password does not open ${user}`);
      client.close();
    }
    const fresh = await call('POST', '/v1/auth/login', { username: 'new@heron.test', password: 'new-password-1' });
    assert.equal(fresh.status, 200);
    const contacts = await call('GET', '/v1/contacts', undefined, fresh.body.token);
    assert.equal(contacts.status, 200);
    assert.deepEqual(contacts.body.items ?? contacts.body, [], 'the new user inherits no contacts');
  } finally {
    heron.child.kill('SIGTERM');
    await heron.exited;
  }
});
