/**
 * Relay throughput: 2,000 queued 10 KB messages relayed by the outbound worker to a local SMTP
 * sink (npm smtp-server answering 250 to everything) over 10 concurrent sessions (concurrency 10,
 * connections reused). Every queue write is a durable SQLite commit (synchronous=FULL). Measures;
 * never asserts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { SMTPServer } from 'smtp-server';
import { createOutboundWorker, type Bouncer, type MxResolver } from '../outbound/index.js';
import { openDatabase } from '../store/sqlite/db.js';
import { createSqliteQueueStore } from '../store/sqlite/queue/index.js';

const MESSAGES = 2000;
const SESSIONS = 10;
const SIZE = 10 * 1024;

export async function runRelayBench(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'heron-relay-bench-'));
  let received = 0;
  let sessions = 0;
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onConnect(_s, cb) {
      sessions++;
      cb();
    },
    onData(stream, _s, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        cb();
      });
    },
  });
  const port = await new Promise<number>((resolve) => sink.listen(0, '127.0.0.1', () => resolve((sink.server.address() as { port: number }).port)));
  const db = openDatabase(join(dir, 'queue.sqlite'));
  const queue = createSqliteQueueStore(db);
  const resolver: MxResolver = {
    resolveMx: async () => [{ exchange: 'sink.bench.test', priority: 10 }],
    resolve4: async () => ['127.0.0.1'],
    resolve6: async () => [],
  };
  const bouncer: Bouncer = { bounce: async () => undefined };
  const body = 'x'.repeat(76) + '\r\n';
  const raw = (i: number) =>
    Buffer.from(`From: bench@heron.test\r\nTo: sink@sink.test\r\nSubject: bench ${i}\r\nMessage-ID: <bench-${i}@heron.test>\r\n\r\n` + body.repeat(Math.ceil(SIZE / body.length)));

  try {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < MESSAGES; i++) await queue.enqueue({ sender: 'bench@heron.test', recipients: [`user${i % 50}@sink.test`], raw: raw(i) });
    const enqueueSec = Number(process.hrtime.bigint() - t0) / 1e9;

    const worker = createOutboundWorker({
      queue,
      bouncer,
      logger: pino({ level: 'silent' }),
      metrics: new Registry(),
      hostname: 'bench.heron.test',
      resolver,
      port,
      retryScheduleMs: [1000],
      expiryMs: 3_600_000,
      concurrency: SESSIONS,
      maxPerDomain: SESSIONS,
      pollIntervalMs: 100,
      client: { maxIdlePerHost: SESSIONS, maxMessagesPerConnection: 1000 },
    });
    const t1 = process.hrtime.bigint();
    worker.start();
    // Bounded wait: at most ~10 minutes.
    for (let i = 0; i < 12_000 && (received < MESSAGES || (await queue.count()) > 0); i++) await new Promise((r) => setTimeout(r, 50));
    const relaySec = Number(process.hrtime.bigint() - t1) / 1e9;
    await worker.stop();
    return {
      messages: MESSAGES,
      message_bytes: raw(0).length,
      sink: 'npm smtp-server (no TLS)',
      enqueue_msgs_per_s: MESSAGES / enqueueSec,
      relay_msgs_per_s: received / relaySec,
      relay_seconds: relaySec,
      delivered: received,
      sink_sessions: sessions,
      left_in_queue: await queue.count(),
    };
  } finally {
    db.close();
    await new Promise<void>((r) => sink.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runRelayBench());
}
