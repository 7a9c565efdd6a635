import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSqliteQueueStore } from '../../store/sqlite/queue/index.js';
import type { QueueStore } from '../../domain/index.js';
import { startApi, call, signUp } from './helpers.js';

test('admin queue view: list, flush, delete; users 403; unknown id 404', async () => {
  let queue!: QueueStore;
  let wakes = 0;
  const h = await startApi(({ store }) => {
    queue = createSqliteQueueStore(store.db);
    return { queue, wakeQueue: () => wakes++ };
  });
  try {
    const ann = await signUp(h, 'annq');
    await h.store.users.createUser({ username: 'rootq', address: 'rootq@example.test', password: 'admin password 1', verified: true, admin: true });
    const admin = (await call(h.base, 'POST', '/v1/auth/login', { body: { username: 'rootq', password: 'admin password 1' } })).body.token as string;
    const later = new Date(Date.now() + 3_600_000);
    const [entry] = await queue.enqueue({ sender: ann.address, recipients: ['x@remote.test', 'y@remote.test'], raw: Buffer.from('Subject: hi\r\n\r\nbody\r\n'), notBefore: later });
    await queue.enqueue({ sender: ann.address, recipients: ['z@other.test'], raw: Buffer.from('Subject: hi\r\n\r\nbody\r\n'), notBefore: later });

    assert.equal((await call(h.base, 'GET', '/v1/admin/queue', { token: ann.token })).status, 403);
    const list = await call(h.base, 'GET', '/v1/admin/queue', { token: admin });
    assert.equal(list.status, 200);
    assert.equal(list.body.length, 2);
    assert.deepEqual(list.body[0].recipients, ['x@remote.test', 'y@remote.test']);
    assert.equal(list.body[0].attempts, 0);
    const one = await call(h.base, 'GET', '/v1/admin/queue?domain=OTHER.test', { token: admin });
    assert.deepEqual(one.body.map((e: { domain: string }) => e.domain), ['other.test']);
    assert.equal((await call(h.base, 'GET', '/v1/admin/queue?limit=0', { token: admin })).status, 400);

    const flushed = await call(h.base, 'POST', '/v1/admin/queue/flush', { token: admin, body: { id: entry!.id } });
    assert.deepEqual(flushed.body, { flushed: 1 });
    assert.equal(wakes, 1);
    assert.ok(new Date((await call(h.base, 'GET', '/v1/admin/queue', { token: admin })).body[0].nextAttemptAt) <= new Date());

    assert.equal((await call(h.base, 'DELETE', `/v1/admin/queue/${entry!.id}`, { token: admin })).status, 204);
    assert.equal((await call(h.base, 'DELETE', `/v1/admin/queue/${entry!.id}`, { token: admin })).status, 404);
    assert.equal((await call(h.base, 'DELETE', "/v1/admin/queue/1'%20OR%201=1", { token: admin })).status, 404);
    assert.equal((await call(h.base, 'GET', '/v1/admin/queue', { token: admin })).body.length, 1);
  } finally {
    await h.close();
  }
});
