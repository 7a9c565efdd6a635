import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqliteDb } from '../../store/sqlite/db.js';
import { createSqliteQueueStore } from '../../store/sqlite/queue/index.js';
import type { QueueStore } from '../../domain/queue.js';
import { freePort, REPO_ROOT } from '../helpers/heron-process.js';
import { makeSelfSignedCert } from '../helpers/tls.js';
import { startRemoteMx, waitFor, type RemoteMx } from './harness.js';

function startChild(dbPath: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'outbound', 'queue-child.ts'), dbPath, String(port)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

describe('queue survives kill -9', () => {
  let dir: string;
  let db: SqliteDb;
  let queue: QueueStore;
  let remote: RemoteMx | null = null;
  const children: ChildProcess[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'heron-restart-'));
    db = openDatabase(join(dir, 'queue.sqlite'));
    queue = createSqliteQueueStore(db);
  });
  after(async () => {
    for (const c of children) {
      if (c.exitCode === null && c.signalCode === null) {
        c.kill('SIGKILL');
        await exited(c);
      }
    }
    await remote?.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('mail queued for a down host is delivered after the worker is killed and restarted', async () => {
    const port = await freePort();
    for (let i = 0; i < 3; i++) {
      await queue.enqueue({ sender: 'ann@heron.test', recipients: [`r${i}@remote.test`], raw: Buffer.from(`From: ann@heron.test\r\nSubject: survivor ${i}\r\n\r\nbody\r\n`) });
    }
    const first = await startChild(join(dir, 'queue.sqlite'), port);
    children.push(first);
    // The remote is down: every entry fails its first attempt and stays queued.
    await waitFor(async () => (await queue.list()).every((e) => e.attempts >= 1) || null, 'first attempts');
    first.kill('SIGKILL');
    await exited(first);
    const left = await queue.list();
    assert.equal(left.length, 3, 'nothing lost to kill -9');
    assert.match(left[0]!.lastError ?? '', /ECONNREFUSED|connect|ECONNECTION|refused/i);

    remote = await startRemoteMx(makeSelfSignedCert(dir), port);
    const second = await startChild(join(dir, 'queue.sqlite'), port);
    children.push(second);
    await waitFor(async () => remote!.received.length >= 3 || null, 'deliveries after restart', 400);
    await waitFor(async () => (await queue.count()) === 0 || null, 'queue drained');
    assert.deepEqual(remote.received.flatMap((r) => r.to).sort(), ['r0@remote.test', 'r1@remote.test', 'r2@remote.test']);
    second.kill('SIGTERM');
    await exited(second);
  });
});
