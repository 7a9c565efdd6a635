import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './heron-process.js';

export interface TestRedis {
  url: string;
  /** A key prefix of its own, so test files sharing one Redis never see each other's keys. */
  prefix: string;
  stop(): Promise<void>;
}

export function haveRedis(): boolean {
  return Boolean(process.env.HERON_TEST_REDIS_URL) || spawnSync('redis-server', ['--version']).status === 0;
}

/**
 * The Redis of scripts/daemons.sh (HERON_TEST_REDIS_URL) when the runner started one, else a
 * redis-server of this test's own on a free loopback port.
 */
export async function startTestRedis(label: string): Promise<TestRedis> {
  const prefix = `t-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  if (process.env.HERON_TEST_REDIS_URL) return { url: process.env.HERON_TEST_REDIS_URL, prefix, stop: async () => undefined };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/Ready to accept connections/.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited ${code}: ${out}`)));
  });
  child.stdout!.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    prefix,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
