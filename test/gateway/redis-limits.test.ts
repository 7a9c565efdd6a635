import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { openDatabase, type SqliteDb } from '../../store/sqlite/db.js';
import { createAccountStore } from '../../store/sqlite/accounts/index.js';
import { createGateway, createTokenVerifier, type Gateway } from '../../gateway/index.js';

const haveRedis = spawnSync('redis-server', ['--version']).status === 0;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Two gateway "nodes" sharing one real Redis share their rate-limit counts. */
describe('rate limits in Redis', { skip: !process.env.HERON_REDIS_URL && !haveRedis && 'no redis-server' }, () => {
  let redis: ChildProcess | null = null;
  let url = process.env.HERON_REDIS_URL ?? '';
  let dir: string;
  let db: SqliteDb;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-redis-'));
    db = openDatabase(':memory:');
    if (!url) {
      const port = await freePort();
      redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
      await new Promise<void>((resolve, reject) => {
        let out = '';
        redis!.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          if (/Ready to accept connections/.test(out)) resolve();
        });
        redis!.once('exit', (code) => reject(new Error(`redis-server exited ${code}`)));
      });
      url = `redis://127.0.0.1:${port}`;
    }
  });
  after(async () => {
    db.close();
    if (redis) {
      redis.kill('SIGTERM');
      await new Promise((r) => redis!.once('exit', r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the per-IP count is shared between nodes', async () => {
    const tokens = createTokenVerifier({ secret: 'x', accounts: createAccountStore(db) });
    const prefix = `t${process.pid}${Math.random().toString(36).slice(2, 6)}`;
    const make = (): Gateway => {
      const gw = createGateway({ logger: pino({ level: 'silent' }), metrics: new Registry(), tokens, redisUrl: url, namespace: prefix, limits: { perIp: { points: 3, durationSec: 60 } } });
      gw.routes.register({ name: 'x', prefixes: ['/v1/x'], handler: async (ctx) => { ctx.body = { ok: true }; } });
      return gw;
    };
    const nodes = [make(), make()];
    const servers = await Promise.all(
      nodes.map(async (gw) => {
        await gw.limiters.ready();
        const s = http.createServer(gw.app.callback());
        await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
        return s;
      }),
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const s = servers[i % 2]!;
        const r = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/v1/x`);
        await r.arrayBuffer();
        statuses.push(r.status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 429]);
    } finally {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
      for (const gw of nodes) await gw.close();
    }
  });
});
