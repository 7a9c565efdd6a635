import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { isAlive, type ClusterEvent, type ConnectionGate } from '../../domain/index.js';
import { createRedisBus } from '../../store/cluster/redis-bus.js';
import { createRedisRegistry } from '../../store/cluster/redis-registry.js';
import { createSharedConnectionGate } from '../../store/cluster/shared-connection-gate.js';
import { createConnectionGate } from '../../limits/index.js';
import { haveRedis, startTestRedis, type TestRedis } from '../helpers/redis.js';

/** Redis-backed cluster state with two "nodes" in one process, each with its own connections. */
describe('cluster state in Redis: bus, service registry, connection counts', { skip: !haveRedis() && 'no redis-server' }, () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startTestRedis('state');
  });
  after(async () => {
    await redis?.stop();
  });

  test('the bus delivers every event to every node, the publisher included; garbage is ignored', async () => {
    const channel = `${redis.prefix}:cluster`;
    const a = createRedisBus({ url: redis.url, channel });
    const b = createRedisBus({ url: redis.url, channel });
    try {
      await Promise.all([a.ready(), b.ready()]);
      const got: ClusterEvent[] = [];
      b.subscribe((e) => got.push(e));
      a.subscribe(() => {
        throw new Error('a listener that throws harms nobody');
      });
      const raw = new Redis(redis.url);
      await raw.publish(channel, 'not json');
      await raw.publish(channel, JSON.stringify({ type: 'format-disk' }));
      raw.disconnect();
      await a.publish({ type: 'token-revoked', jti: 'j1' });
      await a.publish({ type: 'dkim', domain: 'x.test' });
      for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(got, [{ type: 'token-revoked', jti: 'j1' }, { type: 'dkim', domain: 'x.test' }]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('the registry lists instances with Redis time, announces joins and leaves, and forgets none by itself', async () => {
    const prefix = `${redis.prefix}:registry:`;
    const a = createRedisRegistry({ url: redis.url, prefix });
    const b = createRedisRegistry({ url: redis.url, prefix });
    try {
      let changes = 0;
      b.watch(() => changes++);
      await new Promise((r) => setTimeout(r, 100));
      const base = { roles: ['api' as const], host: 'h', pid: 1, apiUrl: 'http://127.0.0.1:1', prefixes: ['/v1/x'], ports: { api: 1 }, startedAt: Date.now(), heartbeatMs: 200 };
      await a.heartbeat({ ...base, id: 'one' });
      await a.heartbeat({ ...base, id: 'one' });
      await a.heartbeat({ ...base, id: 'two', startedAt: base.startedAt + 1 });
      const list = await b.list();
      assert.deepEqual(list.map((i) => i.id), ['one', 'two']);
      assert.ok(list.every((i) => isAlive(i, Date.now())));
      await new Promise((r) => setTimeout(r, 700));
      assert.ok((await b.list()).every((i) => !isAlive(i, Date.now(), 2)), 'silent for more than two intervals: down');
      await a.remove('one');
      assert.deepEqual((await b.list()).map((i) => i.id), ['two']);
      for (let i = 0; i < 50 && changes < 3; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(changes, 3, 'two joins and one leave');
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('connection counts: two nodes share one per-IP cap; release frees; a crashed node stops counting', async () => {
    const make = () => {
      const client = new Redis(redis.url);
      const local: ConnectionGate = createConnectionGate({ perIp: 3 });
      return { client, gate: createSharedConnectionGate({ local, redis: client, prefix: `${redis.prefix}-gate`, limitOf: () => 3 }) };
    };
    const a = make();
    const b = make();
    try {
      const t1 = await a.gate.acquire('smtp', '192.0.2.1');
      const t2 = await a.gate.acquire('smtp', '192.0.2.1');
      const t3 = await b.gate.acquire('smtp', '192.0.2.1');
      assert.ok(t1 && t2 && t3);
      assert.equal(await b.gate.acquire('smtp', '192.0.2.1'), null, 'three held across two nodes');
      assert.ok(await b.gate.acquire('imap', '192.0.2.1'), 'per listener');
      assert.ok(await b.gate.acquire('smtp', '192.0.2.2'), 'per address');
      t1.release();
      t1.release();
      let t4 = null;
      for (let i = 0; i < 50 && !t4; i++) {
        t4 = await b.gate.acquire('smtp', '192.0.2.1');
        if (!t4) await new Promise((r) => setTimeout(r, 10));
      }
      assert.ok(t4, 'a released slot is free again (released twice, counted once)');
      assert.equal(await b.gate.acquire('smtp', '192.0.2.1'), null);
      // Node A (holding t2) stops heartbeating, as after kill -9: past the heartbeat TTL its count no longer holds B back.
      const nodes = `${redis.prefix}-gate:conn:nodes`;
      for (const id of await a.client.zrange(nodes, '0', '-1')) {
        if ((await a.client.hget(`${redis.prefix}-gate:conn:node:${id}`, 'smtp\x00192.0.2.1')) === '1') await a.client.zadd(nodes, 0, id);
      }
      assert.ok(await b.gate.acquire('smtp', '192.0.2.1'), 'the silent node is not counted');
    } finally {
      await a.gate.close();
      await b.gate.close();
      a.client.disconnect();
      b.client.disconnect();
    }
  });
});
