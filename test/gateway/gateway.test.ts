import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { openDatabase, type SqliteDb } from '../../store/sqlite/db.js';
import { createAccountStore } from '../../store/sqlite/accounts/index.js';
import { createGateway, createTokenVerifier, createRouteMap, type Gateway, type TokenVerifier } from '../../gateway/index.js';
import type { AccountStore } from '../../domain/account-store.js';

const REDIS_URL = process.env.HERON_REDIS_URL ?? process.env.HERON_TEST_REDIS_URL;

async function serve(gw: Gateway): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer(gw.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('gateway', () => {
  let db: SqliteDb;
  let accounts: AccountStore;
  let tokens: TokenVerifier;
  const logger = pino({ level: 'silent' });
  before(() => {
    db = openDatabase(':memory:');
    accounts = createAccountStore(db);
    tokens = createTokenVerifier({ secret: 's3cret', accounts });
  });
  after(() => db.close());

  test('route map: longest prefix on segment boundaries, heartbeat expiry answers 503', async () => {
    let clock = 1_000;
    const map = createRouteMap(() => clock);
    map.register({ name: 'a', prefixes: ['/v1/things'], handler: async (ctx) => { ctx.body = { svc: 'a' }; } });
    map.register({ name: 'b', prefixes: ['/v1/things/special'], handler: async (ctx) => { ctx.body = { svc: 'b' }; }, heartbeatTtlMs: 100 });
    const gw = createGateway({ logger, metrics: new Registry(), tokens });
    gw.app.middleware.pop(); // swap the gateway's own (empty) map for this one
    gw.app.use(map.middleware());
    const s = await serve(gw);
    try {
      const get = async (p: string) => {
        const r = await fetch(s.base + p);
        return { status: r.status, body: (await r.json()) as { svc?: string; error?: { code: string } } };
      };
      assert.equal((await get('/v1/things')).body.svc, 'a');
      assert.equal((await get('/v1/things/1')).body.svc, 'a');
      assert.equal((await get('/v1/things/special/2')).body.svc, 'b');
      const miss = await get('/v1/thingsX');
      assert.equal(miss.status, 404);
      assert.equal(miss.body.error?.code, 'not_found');
      clock += 1_000;
      const down = await get('/v1/things/special');
      assert.equal(down.status, 503);
      assert.equal(down.body.error?.code, 'service_unavailable');
      assert.equal(map.status().find((x) => x.name === 'b')?.up, false);
      map.heartbeat('b');
      assert.equal((await get('/v1/things/special')).body.svc, 'b');
    } finally {
      await s.close();
      await gw.close();
    }
  });

  test('per-IP limit answers 429 with Retry-After; repeated hits blacklist the IP; health and metrics stay up', async () => {
    const metrics = new Registry();
    const gw = createGateway({
      logger,
      metrics,
      tokens,
      limits: { perIp: { points: 3, durationSec: 60 }, blacklist: { strikes: 2, windowSec: 60, blockSec: 60 } },
      metricsToken: 'metrics-token-0123456789',
    });
    gw.routes.register({ name: 'x', prefixes: ['/v1/x'], handler: async (ctx) => { ctx.body = { ok: true }; } });
    const s = await serve(gw);
    try {
      const codes: Array<[number, string | undefined]> = [];
      for (let i = 0; i < 7; i++) {
        const r = await fetch(`${s.base}/v1/x`);
        const body = (await r.json()) as { error?: { code: string } };
        codes.push([r.status, body.error?.code]);
        if (r.status === 429) assert.ok(Number(r.headers.get('retry-after')) >= 1);
      }
      assert.deepEqual(codes.slice(0, 3).map((c) => c[0]), [200, 200, 200]);
      assert.deepEqual(codes[3], [429, 'rate_limited']);
      assert.deepEqual(codes.at(-1), [429, 'ip_blocked']);
      const health = await fetch(`${s.base}/v1/health`);
      assert.equal(health.status, 200);
      // Issue 9: /metrics on the API port only with the bearer token.
      assert.equal((await fetch(`${s.base}/metrics`)).status, 429, 'without the token it is just another (blocked) request');
      const m = await (await fetch(`${s.base}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } })).text();
      assert.match(m, /heron_api_requests_total\{method="GET",service="none",status="429"\}/);
    } finally {
      await s.close();
      await gw.close();
    }
  });

  test('request id is echoed when sane, made up otherwise', async () => {
    const gw = createGateway({ logger, metrics: new Registry(), tokens });
    const s = await serve(gw);
    try {
      const a = await fetch(`${s.base}/v1/health`, { headers: { 'x-request-id': 'abc-123' } });
      assert.equal(a.headers.get('x-request-id'), 'abc-123');
      const b = await fetch(`${s.base}/v1/health`, { headers: { 'x-request-id': 'x'.repeat(500) } });
      assert.match(b.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    } finally {
      await s.close();
      await gw.close();
    }
  });

  test('token cache: revocation is immediate on this node, another node sees it after its cache TTL', async () => {
    const issued = await tokens.issue('42');
    assert.equal((await tokens.verify(issued.token)).userId, '42');
    const otherNode = createTokenVerifier({ secret: 's3cret', accounts, cacheTtlMs: 0 });
    assert.equal((await otherNode.verify(issued.token)).userId, '42');
    await tokens.revoke(issued.jti);
    await assert.rejects(tokens.verify(issued.token), (e: { status?: number }) => e.status === 401);
    await assert.rejects(otherNode.verify(issued.token), (e: { status?: number }) => e.status === 401);
    const t2 = await tokens.issue('43');
    await tokens.revokeUser('43');
    await assert.rejects(tokens.verify(t2.token), (e: { status?: number }) => e.status === 401);
  });

  test('rate limits in Redis when a Redis is given (HERON_REDIS_URL, or the test daemons\' one)', { skip: !REDIS_URL && 'no Redis: HERON_REDIS_URL and HERON_TEST_REDIS_URL unset' }, async () => {
    const gw = createGateway({ logger, metrics: new Registry(), tokens, redisUrl: REDIS_URL!, namespace: `t${process.pid}${Date.now()}`, limits: { perIp: { points: 2, durationSec: 60 } } });
    gw.routes.register({ name: 'x', prefixes: ['/v1/x'], handler: async (ctx) => { ctx.body = { ok: true }; } });
    await gw.limiters.ready();
    const s = await serve(gw);
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${s.base}/v1/x`, { headers: { 'x-request-id': `redis-${Date.now()}` } })).status);
      assert.deepEqual(statuses, [200, 200, 429]);
    } finally {
      await s.close();
      await gw.close();
    }
  });
});
