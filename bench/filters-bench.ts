import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { MessageCheck } from '../domain/index.js';
import { createChecks, createTableResolver } from '../filters/index.js';
import { sendBatchFromChild, startBenchMx } from './mx-harness.js';

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
  const mx = await startBenchMx(checks, { sessions });
  try {
    return messages / (await sendBatchFromChild(mx.port, { messages, messageBytes, sessions, idPrefix: 'fb' }));
  } finally {
    await mx.close();
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
