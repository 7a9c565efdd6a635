import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { createCounterFactory } from '../../limits/index.js';
import { createFailureThrottle } from '../../auth/throttle.js';

/**
 * Every security counter is made by one factory; given a Redis client, two nodes share the
 * counts (issue 9 + issue 10): failures on node A and node B add up to one lock.
 */
let redis: ChildProcess | null = null;
let url = process.env.HERON_REDIS_URL ?? '';
const dir = mkdtempSync(join(tmpdir(), 'heron-counters-'));
const clients: Redis[] = [];

before(async () => {
  if (url) return;
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    redis!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/Ready to accept connections/.test(out)) resolve();
    });
    redis!.once('error', reject);
    redis!.once('exit', (code) => reject(new Error(`redis-server exited ${code}`)));
  });
  url = `redis://127.0.0.1:${port}`;
});
after(async () => {
  for (const c of clients) c.disconnect();
  if (redis) {
    redis.kill('SIGTERM');
    await new Promise((r) => redis!.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
});

async function node(namespace: string) {
  const client = new Redis(url, { enableOfflineQueue: true, maxRetriesPerRequest: 1 });
  clients.push(client);
  await new Promise<void>((r) => (client.status === 'ready' ? r() : client.once('ready', () => r())));
  return createFailureThrottle(createCounterFactory({ redis: client, namespace }), 'login-acct', { free: 2, lockAfter: 4, windowSec: 60, lockSec: 30, maxDelaySec: 1 });
}

test('two nodes on one Redis share login-failure counts and the lock', async () => {
  const ns = `t${process.pid}${Date.now().toString(36)}`;
  const a = await node(ns);
  const b = await node(ns);
  await a.failed('u:1');
  await b.failed('u:1');
  await a.failed('u:1');
  assert.equal((await b.check('u:1')).allowed, false, 'node B sees the wait node A imposed');
  const fourth = await b.failed('u:1');
  assert.equal(fourth.locked, true, 'the fourth failure, on another node, locks');
  const s = await a.check('u:1');
  assert.equal(s.allowed, false);
  assert.ok(!s.allowed && s.retryAfterMs > 20_000, 'the lock, not just a delay');
  assert.equal((await a.check('u:2')).allowed, true);
});
