import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { MessageCheck } from '../domain/index.js';
import { createChecks, createTableResolver } from '../filters/index.js';
import { createDeliveryPipeline } from '../mail/delivery/index.js';
import { createMxServer } from '../smtp/mx/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { makeSelfSignedCert } from '../test/helpers/tls.js';

export interface FiltersBenchOptions {
  messages?: number;
  messageBytes?: number;
  sessions?: number;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The daemons' addresses: from the environment (npm test), or scripts/daemons.sh started here. */
function daemons(): { rspamd?: string; clamd?: string; startedHere: boolean } {
  let env: Record<string, string | undefined> = process.env;
  let startedHere = false;
  if (!env.HERON_TEST_RSPAMD_URL || !env.HERON_TEST_CLAMD) {
    spawnSync('bash', [join(root, 'scripts', 'daemons.sh'), 'start'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    startedHere = true;
    const file = join(root, '.tmp', 'daemons', 'env');
    env = {};
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
        if (m) env[m[1]!] = m[2];
      }
    }
  }
  return { rspamd: env.HERON_TEST_RSPAMD_URL, clamd: env.HERON_TEST_CLAMD, startedHere };
}

/** One run: a fresh SQLite store and MX with the given checks; returns msgs/s. */
async function ingest(checks: MessageCheck[], messages: number, messageBytes: number, sessions: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'heron-bench-filters-'));
  const logger = pino({ level: 'silent' });
  const registry = new Registry();
  const blobs = createFsBlobStore(join(dir, 'blobs'));
  const store = await openSqliteStore({ path: join(dir, 'heron.sqlite'), blobs, notifier: createMemoryNotifier() });
  try {
    await store.users.addDomain('heron.test');
    await store.users.createUser({ username: 'bench', address: 'bench@heron.test', password: 'bench-password-1' });
    const pipeline = createDeliveryPipeline({
      users: store.users, mail: store.mail, blobs, checks, hostname: 'mx.bench.test', logger, metrics: registry, filterFailure: 'tempfail',
    });
    const mx = createMxServer({
      users: store.users, mail: store.mail, pipeline, logger, metrics: registry, hostname: 'mx.bench.test', tls: makeSelfSignedCert(dir),
      spoolDir: join(dir, 'spool'),
      limits: { maxMessageSize: 25 * 1024 * 1024, maxRecipients: 100, maxConnectionsPerIp: sessions * 4, socketTimeoutMs: 60_000 },
    });
    const port = await mx.listen(0, '127.0.0.1');
    try {
      const line = 'Quarterly figures attached; the meeting moved to Thursday at ten.\n';
      const body = line.repeat(Math.ceil(messageBytes / line.length)).slice(0, messageBytes);
      const transport = nodemailer.createTransport({
        host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: sessions, maxMessages: Infinity, name: 'bench.test',
      });
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: messages }, (_, i) =>
          transport.sendMail({ from: 'bench@remote.test', to: 'bench@heron.test', subject: `bench ${i}`, messageId: `<fb-${i}@remote.test>`, text: body }),
        ),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      transport.close();
      return messages / seconds;
    } finally {
      await mx.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * MX ingestion with filters off versus on (mailauth with an offline DNS table, real clamd and
 * rspamd from scripts/daemons.sh), same messages, printed side by side. Measures, never asserts.
 */
export async function runFiltersBench(opts: FiltersBenchOptions = {}): Promise<Record<string, number | string>> {
  const messages = opts.messages ?? 400;
  const messageBytes = opts.messageBytes ?? 10 * 1024;
  const sessions = opts.sessions ?? 8;
  const d = daemons();
  const result: Record<string, number | string> = { messages, messageBytes, sessions };
  try {
    if (!d.rspamd || !d.clamd) {
      result.error = 'rspamd/clamd not running (scripts/daemons.sh start failed)';
      return result;
    }
    const checks = createChecks({
      rspamdUrl: d.rspamd,
      clamd: d.clamd,
      resolver: createTableResolver({ 'remote.test': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] } }),
      hostname: 'mx.bench.test',
      timeoutMs: 30_000,
      logger: pino({ level: 'silent' }),
      metrics: new Registry(),
    });
    const off = await ingest([], messages, messageBytes, sessions);
    const on = await ingest(checks, messages, messageBytes, sessions);
    result.filtersOffMsgsPerSec = Number(off.toFixed(1));
    result.filtersOnMsgsPerSec = Number(on.toFixed(1));
    result.filtersOnShare = `${((on / off) * 100).toFixed(0)}% of filters-off`;
    console.log(`filters off: ${off.toFixed(1)} msgs/s | filters on (mailauth+clamd+rspamd): ${on.toFixed(1)} msgs/s`);
  } finally {
    if (d.startedHere) spawnSync('bash', [join(root, 'scripts', 'daemons.sh'), 'stop'], { cwd: root, stdio: 'ignore' });
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  runFiltersBench(n ? { messages: n } : {}).then((r) => console.log(JSON.stringify(r)));
}
