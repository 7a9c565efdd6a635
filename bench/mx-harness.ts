import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { MessageCheck } from '../domain/index.js';
import { createDeliveryPipeline } from '../mail/delivery/index.js';
import { createMxServer } from '../smtp/mx/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/index.js';
import { makeSelfSignedCert } from '../test/helpers/tls.js';

export interface BenchMx {
  port: number;
  store: SqliteStore;
  /** The one local user, bench@heron.test. */
  userId: string;
  close(): Promise<void>;
}

/** A fresh SQLite store (fsync'd commits, as in production) behind a real MX on a loopback port. */
export async function startBenchMx(checks: MessageCheck[], opts: { sessions: number }): Promise<BenchMx> {
  const dir = mkdtempSync(join(tmpdir(), 'heron-bench-mx-'));
  const logger = pino({ level: 'silent' });
  const registry = new Registry();
  const blobs = createFsBlobStore(join(dir, 'blobs'));
  const store = await openSqliteStore({ path: join(dir, 'heron.sqlite'), blobs, notifier: createMemoryNotifier() });
  await store.users.addDomain('heron.test');
  const user = await store.users.createUser({ username: 'bench', address: 'bench@heron.test', password: 'bench-password-1' });
  const pipeline = createDeliveryPipeline({
    users: store.users, mail: store.mail, blobs, checks, hostname: 'mx.bench.test', logger, metrics: registry, filterFailure: 'tempfail',
  });
  const mx = createMxServer({
    users: store.users, mail: store.mail, pipeline, logger, metrics: registry, hostname: 'mx.bench.test', tls: makeSelfSignedCert(dir),
    spoolDir: join(dir, 'spool'),
    limits: { maxMessageSize: 25 * 1024 * 1024, maxRecipients: 100, maxConnectionsPerIp: opts.sessions * 4, socketTimeoutMs: 60_000 },
  });
  const port = await mx.listen(0, '127.0.0.1');
  return {
    port,
    store,
    userId: user.id,
    async close() {
      await mx.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Sends the batch from a separate process (this file run as a script), so the load generator
 * does not share the server's event loop and core; returns seconds.
 */
export async function sendBatchFromChild(port: number, opts: { messages: number; messageBytes: number; sessions: number; idPrefix: string }): Promise<number> {
  const r = await promisify(execFile)(process.execPath, [
    '--import', 'tsx', fileURLToPath(import.meta.url),
    String(port), String(opts.messages), String(opts.messageBytes), String(opts.sessions), opts.idPrefix,
  ], { maxBuffer: 1024 * 1024 });
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number }).seconds;
}

/** Sends `messages` of about `messageBytes` through a nodemailer pool of `sessions`; returns seconds. */
export async function sendBatch(port: number, opts: { messages: number; messageBytes: number; sessions: number; idPrefix: string }): Promise<number> {
  const line = 'Quarterly figures attached; the meeting moved to Thursday at ten.\n';
  const body = line.repeat(Math.ceil(opts.messageBytes / line.length)).slice(0, opts.messageBytes);
  const transport = nodemailer.createTransport({
    host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: opts.sessions, maxMessages: Infinity, name: 'bench.test',
  });
  const started = process.hrtime.bigint();
  try {
    await Promise.all(
      Array.from({ length: opts.messages }, (_, i) =>
        transport.sendMail({ from: 'bench@remote.test', to: 'bench@heron.test', subject: `bench ${i}`, messageId: `<${opts.idPrefix}-${i}@remote.test>`, text: body }),
      ),
    );
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    transport.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [port, messages, messageBytes, sessions, idPrefix] = process.argv.slice(2);
  const seconds = await sendBatch(Number(port), { messages: Number(messages), messageBytes: Number(messageBytes), sessions: Number(sessions), idPrefix: idPrefix! });
  console.log(JSON.stringify({ seconds }));
}
