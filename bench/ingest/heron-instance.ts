import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from './ports.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'server', 'cli.ts');

export interface HeronInstance {
  smtpPort: number;
  imapPort: number;
  user: string;
  password: string;
  recipient: string;
  dataDir: string;
  /** Loopback Prometheus /metrics of this instance (bench/ingest/heron-metrics.ts reads it). */
  metricsPort: number;
  pid: number;
  stop(): Promise<void>;
}

const USER = 'bench@bench.test';
const PASSWORD = 'bench-password-1';

/**
 * `heron start` in a process of its own with the default configuration, except what a bench on
 * a shared machine needs: a temp data dir, loopback ports of its own, the API and submission
 * listeners off, and `extraEnv` (the filters' addresses). Its log goes to a file, as Postfix's
 * goes to its maillog.
 */
export async function startHeronInstance(extraEnv: Record<string, string>): Promise<HeronInstance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'heron-bench-'));
  const [smtpPort, imapPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HERON_DATA_DIR: dataDir,
    HERON_HOSTNAME: 'mx.bench.test',
    HERON_DOMAINS: 'bench.test',
    HERON_BIND: '127.0.0.1',
    HERON_SMTP_PORT: String(smtpPort),
    HERON_IMAP_PORT: String(imapPort),
    HERON_IMAPS_PORT: '0',
    HERON_SUBMISSION_PORT: '0',
    HERON_SUBMISSIONS_PORT: '0',
    HERON_API_PORT: '0',
    HERON_METRICS_PORT: String(metricsPort),
    ...extraEnv,
  };
  const add = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'user', 'add', USER], { env, cwd: ROOT, encoding: 'utf8', timeout: 120_000, input: `${PASSWORD}\n` });
  if (add.status !== 0) throw new Error(`heron user add failed: ${add.stderr || add.stdout}`);
  const logPath = join(dataDir, 'heron.log');
  const log = openSync(logPath, 'a');
  const child = spawn(process.execPath, [...(process.env.HERON_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx', CLI, 'start'], {
    env,
    cwd: ROOT,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  try {
    await waitForPort(smtpPort, 60_000);
    await waitForPort(imapPort, 10_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${readFileSync(logPath, 'utf8').slice(-2000)}`, { cause: err });
  }
  return {
    smtpPort,
    imapPort,
    user: USER,
    password: PASSWORD,
    recipient: USER,
    dataDir,
    metricsPort,
    pid: child.pid!,
    async stop() {
      await stop();
    },
  };
}

/** Removes an instance's data dir (after the disk figures were taken). */
export function removeHeronData(instance: HeronInstance): void {
  rmSync(instance.dataDir, { recursive: true, force: true });
}
