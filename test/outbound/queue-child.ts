/**
 * A queue worker in its own process, for the kill -9 test: opens the queue database given on
 * the command line and relays remote.test mail to 127.0.0.1:<port> until it is killed.
 * argv: <db path> <remote port>
 */
import pino from 'pino';
import { Registry } from 'prom-client';
import { createOutboundWorker, type Bouncer } from '../../outbound/index.js';
import { openDatabase } from '../../store/sqlite/db.js';
import { createSqliteQueueStore } from '../../store/sqlite/queue/index.js';
import { testResolver } from './harness.js';

const [dbPath, port] = process.argv.slice(2);
const db = openDatabase(dbPath!);
const queue = createSqliteQueueStore(db);
const bouncer: Bouncer = {
  async bounce(entry) {
    process.stdout.write(`bounce ${entry.id}\n`);
  },
};
const worker = createOutboundWorker({
  queue,
  bouncer,
  logger: pino({ level: process.env.HERON_TEST_LOG ?? 'silent' }),
  metrics: new Registry(),
  hostname: 'child.heron.test',
  resolver: testResolver({ 'remote.test': [{ exchange: 'mx.remote.test', priority: 10 }] }),
  port: Number(port),
  retryScheduleMs: [150],
  expiryMs: 600_000,
  leaseMs: 1_000,
  pollIntervalMs: 100,
  client: { connectTimeoutMs: 1000, socketTimeoutMs: 3000 },
});
worker.start();
process.on('SIGTERM', () => {
  void worker.stop().then(() => {
    db.close();
    process.exit(0);
  });
});
process.stdout.write('ready\n');
