import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pidFromFile } from './process-cpu.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const STATE = join(ROOT, '.tmp', 'daemons');

export interface FilterDaemons {
  rspamd?: string;
  clamd?: string;
  /** Loopback DNS stub (dnsmasq) for the SPF/DKIM/DMARC lookups, host:port. */
  dns?: string;
  /** The daemons' main pids (their workers are children), for CPU figures. */
  pids(): number[];
  release(): void;
}

function readEnvFile(): Record<string, string> {
  const env: Record<string, string> = {};
  const file = join(STATE, 'env');
  if (!existsSync(file)) return env;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

/** Daemons started before HERON_TEST_DNS was written: rspamd's config names the same stub. */
function dnsFromRspamdConfig(): string | undefined {
  const file = join(STATE, 'rspamd', 'conf', 'local.d', 'options.inc');
  if (!existsSync(file)) return undefined;
  return /nameserver\s*=\s*\[\s*"([^"]+)"/.exec(readFileSync(file, 'utf8'))?.[1];
}

/**
 * rspamd, clamd and the DNS stub as scripts/daemons.sh starts them (shared with test runs: this
 * process registers as a holder and `release` stops them only if no one else still uses them).
 */
export function acquireFilterDaemons(): FilterDaemons {
  const script = join(ROOT, 'scripts', 'daemons.sh');
  const holder = { ...process.env, HERON_DAEMONS_HOLDER: String(process.pid) };
  spawnSync('bash', [script, 'start'], { cwd: ROOT, env: holder, stdio: ['ignore', 'ignore', 'inherit'] });
  const env = readEnvFile();
  const dns = env.HERON_TEST_DNS ?? dnsFromRspamdConfig();
  return {
    ...(env.HERON_TEST_RSPAMD_URL ? { rspamd: env.HERON_TEST_RSPAMD_URL } : {}),
    ...(env.HERON_TEST_CLAMD ? { clamd: env.HERON_TEST_CLAMD } : {}),
    ...(dns ? { dns } : {}),
    pids: () =>
      ['rspamd/run/rspamd.pid', 'clamd/clamd.pid', 'dns/dnsmasq.pid', 'redis/redis.pid'].map((f) => pidFromFile(join(STATE, f))).filter((p): p is number => p !== null),
    release() {
      spawnSync('bash', [script, 'stop'], { cwd: ROOT, env: holder, stdio: 'ignore' });
    },
  };
}
