import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { createRedisNotifier } from '../../store/notifier/redis-notifier.js';
import type { RedisNotifier } from '../../store/notifier/redis-notifier.js';
import type { ChangeEvent } from '../../domain/index.js';

// Real redis-server (Debian package) on a unix socket in a temp dir (no TCP port at all), or the
// shared one from scripts/daemons.sh when HERON_TEST_REDIS_URL is set.

let dir: string;
let server: ChildProcess | undefined;
let target: string | RedisOptions;
const notifiers: RedisNotifier[] = [];
const prefix = `heron:test:${process.pid}:`;

function waitFor<T>(fn: (resolve: (v: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve) => fn(resolve));
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-redis-'));
  if (process.env.HERON_TEST_REDIS_URL) {
    target = process.env.HERON_TEST_REDIS_URL;
    return;
  }
  const socket = path.join(dir, 'redis.sock');
  server = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  target = { path: socket };
  // ioredis queues commands until the socket accepts; a PING answers once the server is up.
  const probe = new Redis({ path: socket, retryStrategy: () => 20 });
  probe.on('error', () => undefined); // ENOENT until the server has created its socket
  await probe.ping();
  probe.disconnect();
});

after(async () => {
  for (const n of notifiers) await n.close();
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function node(): RedisNotifier {
  const n = createRedisNotifier({ redis: target, prefix });
  notifiers.push(n);
  return n;
}

const ev = (userId: string, uid: number): ChangeEvent => ({ type: 'exists', userId, mailboxId: '1', uid, modseq: uid, messageId: String(uid) });

test('events cross nodes per user; a node hears its own events once, locally', { timeout: 30_000 }, async () => {
  const a = node();
  const b = node();
  const c = node();
  const gotA: number[] = [];
  const gotB: ChangeEvent[] = [];
  const gotOtherUser: ChangeEvent[] = [];
  a.subscribe('1', (e) => gotA.push(e.modseq));
  const bSeen = new Promise<void>((resolve) =>
    b.subscribe('1', (e) => {
      gotB.push(e);
      if (gotB.length === 2) resolve();
    }),
  );
  b.subscribe('2', (e) => gotOtherUser.push(e));
  await Promise.all([a.ready(), b.ready()]);

  a.publish([ev('1', 1), ev('1', 2)]);
  await bSeen;
  assert.deepEqual(gotB, [ev('1', 1), ev('1', 2)]);
  assert.deepEqual(gotA, [1, 2], 'local delivery is immediate');

  // C's event on the same channel reaches A after A's own echo of 1 and 2 (Redis keeps per-channel order).
  const aHeardC = waitFor<void>((resolve) => a.subscribe('1', (e) => e.modseq === 3 && resolve()));
  await a.ready();
  c.publish([ev('1', 3)]);
  await aHeardC;
  assert.deepEqual(gotA, [1, 2, 3], 'own events are not delivered twice');
  assert.deepEqual(gotOtherUser, []);
});

test('malformed or mis-addressed messages on a channel are ignored; delivery continues', { timeout: 30_000 }, async () => {
  const a = node();
  const got: ChangeEvent[] = [];
  const done = new Promise<void>((resolve) =>
    a.subscribe('7', (e) => {
      got.push(e);
      if (e.modseq === 9) resolve();
    }),
  );
  await a.ready();
  const raw = typeof target === 'string' ? new Redis(target) : new Redis(target);
  try {
    await raw.publish(`${prefix}7`, 'not json {');
    await raw.publish(`${prefix}7`, '\u0000\u0001garbage');
    await raw.publish(`${prefix}7`, JSON.stringify({ node: 'x', events: [ev('8', 5)] }));
    await raw.publish(`${prefix}7`, JSON.stringify({ node: 'x', events: 'nope' }));
    await raw.publish(`${prefix}7`, JSON.stringify({ node: 'x', events: [ev('7', 9)] }));
  } finally {
    raw.disconnect();
  }
  await done;
  assert.deepEqual(got, [ev('7', 9)]);
});

test('a throwing listener does not stop others; unsubscribe stops delivery', { timeout: 30_000 }, async () => {
  const a = node();
  const b = node();
  const got: number[] = [];
  a.subscribe('5', () => {
    throw new Error('listener bug');
  });
  const off = a.subscribe('5', (e) => got.push(e.modseq));
  const last = waitFor<void>((resolve) => a.subscribe('5', (e) => e.modseq === 2 && resolve()));
  await a.ready();
  b.publish([ev('5', 1), ev('5', 2)]);
  await last;
  assert.deepEqual(got, [1, 2]);
  off();
  a.publish([ev('5', 3)]);
  assert.deepEqual(got, [1, 2]);
});
