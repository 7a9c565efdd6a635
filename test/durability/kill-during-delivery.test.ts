import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { openSqliteStore } from '../../store/sqlite/index.js';
import { baseEnv, freePort, heronCli, startHeronProcess, type HeronProcess } from '../helpers/heron-process.js';

const SESSIONS = 4;
const KILL_AFTER_ACKS = 40;
const MAX_PER_SESSION = 500;

/** Resolves once the port answers with an SMTP greeting; bounded attempts, generous limit. */
async function waitForGreeting(port: number, proc: HeronProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (proc.child.exitCode !== null) throw new Error(`heron exited early:\n${proc.output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.setEncoding('latin1');
      s.once('data', (d: string) => {
        s.destroy();
        resolve(d.startsWith('220'));
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no SMTP greeting on ${port}:\n${proc.output()}`);
}

/**
 * The durability promise (DESIGN: "A crash loses nothing that was acknowledged"): kill -9 the
 * real server while four sessions deliver, restart it, and find every message that got 250
 * exactly once.
 */
describe('kill -9 during MX delivery', () => {
  let dataDir: string;
  let port: number;
  let env: NodeJS.ProcessEnv;
  let proc: HeronProcess | undefined;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'heron-durability-'));
    port = await freePort();
    env = baseEnv(dataDir, { HERON_SMTP_PORT: String(port), HERON_LOG_LEVEL: 'warn' });
    const add = heronCli(['user', 'add', 'a@heron.test'], env, { input: 'pw-durable-1\n' });
    assert.equal(add.status, 0, add.stderr + add.stdout);
  });
  after(async () => {
    if (proc && proc.child.exitCode === null && proc.child.signalCode === null) {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('every acknowledged message survives, exactly once', async () => {
    proc = startHeronProcess(env);
    await waitForGreeting(port, proc);

    const acked = new Set<string>();
    let killed = false;
    const first = proc;
    let resolveKilled!: () => void;
    const killedAt = new Promise<void>((resolve) => (resolveKilled = resolve));
    // The kill is triggered by a count of acknowledgements, not by a timer.
    const ack = (messageId: string) => {
      acked.add(messageId);
      if (!killed && acked.size >= KILL_AFTER_ACKS) {
        killed = true;
        first.child.kill('SIGKILL');
        resolveKilled();
      }
    };

    const worker = async (w: number) => {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, name: `load${w}.test` });
      try {
        for (let i = 0; i < MAX_PER_SESSION && !killed; i++) {
          const messageId = `<w${w}-${i}-${process.pid}@load.test>`;
          try {
            await transport.sendMail({
              envelope: { from: 'load@remote.test', to: ['a@heron.test'] },
              from: 'load@remote.test',
              to: 'a@heron.test',
              subject: `load ${w}/${i}`,
              messageId,
              text: `message ${i} from worker ${w}\n`.repeat(50),
            });
            ack(messageId);
          } catch {
            if (killed) return;
            throw new Error(`worker ${w} failed before the kill:\n${first.output()}`);
          }
        }
      } finally {
        transport.close();
      }
    };
    await Promise.all([...Array(SESSIONS).keys()].map(worker));
    await killedAt;
    const exit = await first.exited;
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(acked.size >= KILL_AFTER_ACKS);

    // Restart on the same data dir: it must come up cleanly after the crash.
    proc = startHeronProcess(env);
    await waitForGreeting(port, proc);
    proc.child.kill('SIGTERM');
    await proc.exited;

    const spool = join(dataDir, 'spool');
    if (existsSync(spool)) assert.deepEqual(readdirSync(spool).filter((f) => f.startsWith('mx-')), [], 'restart swept the spool');

    const store = await openSqliteStore({
      path: join(dataDir, 'heron.sqlite'),
      blobs: createFsBlobStore(join(dataDir, 'blobs')),
      notifier: createMemoryNotifier(),
    });
    try {
      const user = await store.users.findUserByLogin('a@heron.test');
      assert.ok(user);
      const inbox = await store.mail.getMailbox(user.id, 'INBOX');
      assert.ok(inbox);
      const seen = new Map<string, number>();
      for await (const m of store.mail.getMessages(inbox.id, { start: 1, end: Infinity }, { fields: ['header'] })) {
        const id = m.header?.messageId ?? '';
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      for (const id of acked) assert.equal(seen.get(id), 1, `acknowledged ${id} stored ${seen.get(id) ?? 0} times`);
      for (const [id, n] of seen) assert.equal(n, 1, `${id} stored ${n} times`);
    } finally {
      await store.close();
    }
  });
});
