import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createGateway, createServiceProxy, type Gateway, type ServiceProxy, type TokenVerifier } from '../../gateway/index.js';
import { createMemoryRegistry } from '../../store/cluster/memory-registry.js';
import type { ServiceRegistry } from '../../domain/index.js';

const logger = pino({ level: 'silent' });
const tokens: TokenVerifier = {
  verify: async () => ({ userId: 'u1', jti: 'j', expiresAt: new Date(Date.now() + 60_000) }),
  issue: async () => ({ token: 't', jti: 'j', expiresAt: new Date() }),
  revoke: async () => undefined,
  revokeUser: async () => undefined,
  rekey: () => undefined,
};

interface Instance {
  name: string;
  url: string;
  seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

/** A real HTTP server playing an API instance: echoes what it got, streams /v1/events. */
async function instance(name: string): Promise<Instance> {
  const seen: Instance['seen'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/v1/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', connection: 'keep-alive' });
        res.write('data: one\n\n');
        setTimeout(() => res.end('data: two\n\n'), 150);
        return;
      }
      res.writeHead(req.url === '/v1/things/none' ? 204 : 200, { 'content-type': 'application/json', 'x-from': name });
      res.end(req.url === '/v1/things/none' ? undefined : JSON.stringify({ name, body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    name,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function refusedUrl(): Promise<string> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('gateway service proxy (registry-routed API instances)', () => {
  let registry: ServiceRegistry;
  let proxy: ServiceProxy;
  let gateway: Gateway;
  let server: http.Server;
  let base: string;
  let a: Instance;
  let b: Instance;
  const heartbeat = (id: string, url: string, prefixes = ['/v1/things', '/v1/events']) =>
    registry.heartbeat({ id, roles: ['api'], host: 'h', pid: 1, apiUrl: url, prefixes, ports: {}, startedAt: Date.now(), heartbeatMs: 60_000 });

  before(async () => {
    registry = createMemoryRegistry();
    a = await instance('a');
    b = await instance('b');
    await heartbeat('a', a.url);
    await heartbeat('b', b.url);
    proxy = createServiceProxy({ registry, logger, refreshMs: 100, missedHeartbeats: 2, bodyLimit: 1024 });
    gateway = createGateway({ logger, metrics: new Registry(), tokens, proxy });
    server = http.createServer(gateway.app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    proxy.close();
    await gateway.close();
    await new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
    await a.close();
    await b.close();
  });

  test('round-robin over live instances; the body, the query and the client address are forwarded, hop-by-hop headers are not', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${base}/v1/things/x?q=${i}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '6.6.6.6', te: 'trailers' }, body: JSON.stringify({ i }) });
      assert.equal(res.status, 200);
      const json = (await res.json()) as { name: string; body: string };
      assert.deepEqual(JSON.parse(json.body), { i });
      assert.equal(res.headers.get('x-heron-instance'), json.name);
      names.add(json.name);
    }
    assert.deepEqual([...names].sort(), ['a', 'b']);
    const last = [...a.seen, ...b.seen].at(-1)!;
    assert.equal(last.url, '/v1/things/x?q=3');
    assert.equal(last.headers['x-forwarded-for'], '127.0.0.1', 'the gateway\'s view of the client, not what the client claimed');
    assert.equal(last.headers.te, undefined);
  });

  test('server-sent events stream through as they come', async () => {
    const res = await fetch(`${base}/v1/events`);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const reader = res.body!.getReader();
    const first = Buffer.from((await reader.read()).value!).toString();
    assert.match(first, /data: one/, 'the first event arrives before the upstream ended');
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += Buffer.from(r.value).toString();
    assert.match(first + rest, /data: two/);
  });

  test('204 passes through; unknown paths fall to 404; an oversized body is 413 before any instance sees it', async () => {
    assert.equal((await fetch(`${base}/v1/things/none`)).status, 204);
    const nf = await fetch(`${base}/v1/nowhere`);
    assert.equal(nf.status, 404);
    const before = a.seen.length + b.seen.length;
    const big = await fetch(`${base}/v1/things/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'y'.repeat(5000) }) });
    assert.equal(big.status, 413);
    assert.equal(((await big.json()) as { error: { code: string } }).error.code, 'payload_too_large');
    assert.equal(a.seen.length + b.seen.length, before);
  });

  test('hostile request targets stay on the instance and mark nothing down', async () => {
    const raw = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const sock = net.connect(Number(new URL(base).port), '127.0.0.1', () => sock.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
        let out = '';
        sock.on('data', (d: Buffer) => (out += d.toString()));
        sock.on('end', () => resolve(out));
        sock.on('error', reject);
      });
    for (const path of ['/v1/things/..//evil.test/x', '/v1/things/%2F%2Fevil.test', '/v1/things/' + 'a'.repeat(6000), '/v1/things/x?y=%00']) {
      const answer = await raw(path);
      assert.match(answer, /^HTTP\/1\.1 (200|404|414|431)/, path.slice(0, 40));
    }
    assert.ok([...a.seen, ...b.seen].every((s) => s.url.startsWith('/v1/')), 'no request went anywhere but a /v1 path of an instance');
    assert.equal((await fetch(`${base}/v1/things/x`)).status, 200, 'both instances still up');
  });

  test('an instance that refuses connections is skipped and the request retried on another, POST included', async () => {
    await heartbeat('dead', await refusedUrl());
    await proxy.refresh();
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${base}/v1/things/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(res.status, 200, `request ${i}`);
      assert.notEqual(res.headers.get('x-heron-instance'), 'dead');
    }
    await registry.remove('dead');
  });

  test('a removed instance gets no more requests; with none left the answer is 503 service_unavailable', async () => {
    await registry.remove('b');
    await proxy.refresh();
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${base}/v1/things/x`)).headers.get('x-heron-instance'), 'a');
    await registry.remove('a');
    await proxy.refresh();
    const res = await fetch(`${base}/v1/things/x`);
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'service_unavailable');
    assert.ok(res.headers.get('retry-after'));
    const health = (await (await fetch(`${base}/v1/health`)).json()) as { status: string };
    assert.equal(health.status, 'ok', 'no prefix is known any more, so nothing is degraded');
  });
});
