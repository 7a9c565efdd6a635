import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { diskBytes } from './ingest/disk-usage.js';
import { acquireFilterDaemons, type FilterDaemons } from './ingest/filter-daemons.js';
import { removeHeronData, startHeronInstance } from './ingest/heron-instance.js';
import { formatLatency, heronLatency, type HeronLatency } from './ingest/heron-metrics.js';
import { waitForImapCount, type ImapAccount } from './ingest/imap-count.js';
import { ensureReferenceInstalled } from './ingest/install.js';
import { smtpSourceMessageBytes } from './ingest/message-size.js';
import { startPostfixDovecot } from './ingest/postfix-dovecot.js';
import { treeCpuMs } from './ingest/process-cpu.js';
import { smtpSource } from './ingest/smtp-source.js';

export interface SmtpIngestBenchOptions {
  messages?: number;
  /** smtp-source payload bytes per message. */
  messageBytes?: number;
  sessions?: number;
  /** Rounds; each runs every system once per mode, in alternating order. */
  rounds?: number;
}

type System = 'postfix+dovecot' | 'heron' | 'heron+filters';
type Mode = 'per-connection' | 'reuse';

interface RunResult {
  system: System;
  mode: Mode;
  msgsPerSec: number;
  /** Messages visible over IMAP at the end (smtp-source does not retry a refused one). */
  delivered: number;
  smtpSeconds: number;
  imapWaitSeconds: number;
  /** Bytes allocated on disk for the mail store per byte of message received. */
  diskPerByte: number;
  /** CPU time of the whole system under test (every process and thread) per message. */
  cpuMsPerMsg: number;
  /** heron+filters: the part of cpuMsPerMsg spent in rspamd, clamd, redis and the DNS stub. */
  filterDaemonsCpuMsPerMsg?: number;
  /** Heron's own per-message latency breakdown (its /metrics). */
  latency?: HeronLatency | null;
}

const FROM = 'sender@remote.test';

/** Time (and CPU of the processes under test) from the first connection until IMAP shows every message. */
async function measure(
  account: ImapAccount & { smtpPort: number; recipient: string; pids: () => number[]; helperPids?: () => number[] },
  o: Required<SmtpIngestBenchOptions>,
  reuse: boolean,
) {
  const helpers = account.helperPids ?? (() => []);
  const cpuBefore = treeCpuMs(account.pids());
  const helperCpuBefore = treeCpuMs(helpers());
  const started = process.hrtime.bigint();
  const smtpSeconds = await smtpSource({ port: account.smtpPort, messages: o.messages, bytes: o.messageBytes, sessions: o.sessions, reuse, from: FROM, to: account.recipient });
  const { count } = await waitForImapCount(account, o.messages, 60_000);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const n = Math.max(1, count);
  const helperCpuMsPerMsg = (treeCpuMs(helpers()) - helperCpuBefore) / n;
  return { delivered: count, seconds, smtpSeconds, cpuMsPerMsg: (treeCpuMs(account.pids()) - cpuBefore) / n + helperCpuMsPerMsg, helperCpuMsPerMsg };
}

/** The figures every system reports, from one measured run. */
function throughput(system: System, mode: Mode, r: Awaited<ReturnType<typeof measure>>): Omit<RunResult, 'diskPerByte'> {
  return {
    system,
    mode,
    msgsPerSec: r.delivered / r.seconds,
    delivered: r.delivered,
    smtpSeconds: r.smtpSeconds,
    imapWaitSeconds: r.seconds - r.smtpSeconds,
    cpuMsPerMsg: r.cpuMsPerMsg,
  };
}

async function runReference(mode: Mode, o: Required<SmtpIngestBenchOptions>, messageBytes: number): Promise<RunResult> {
  const ref = await startPostfixDovecot();
  try {
    const r = await measure({ port: ref.imapPort, user: ref.user, password: ref.password, smtpPort: ref.smtpPort, recipient: ref.recipient, pids: ref.pids }, o, mode === 'reuse');
    return {
      ...throughput('postfix+dovecot', mode, r),
      // Maildir files plus Dovecot's index and cache files.
      diskPerByte: diskBytes(join(ref.dir, 'mail')) / (r.delivered * messageBytes),
    };
  } finally {
    await ref.stop();
  }
}

/** Heron's mail store on disk: the SQLite database (WAL checkpointed on close) and the blobs. */
function heronStoreBytes(dataDir: string): number {
  return ['heron.sqlite', 'heron.sqlite-wal', 'heron.sqlite-shm', 'blobs'].reduce((sum, f) => sum + diskBytes(join(dataDir, f)), 0);
}

/**
 * `daemonPids`: the filter daemons (heron+filters). Their CPU counts as the system's: Postfix's
 * figure includes every process of Postfix and Dovecot, and without them a scan looked free.
 */
async function runHeron(system: System, mode: Mode, o: Required<SmtpIngestBenchOptions>, messageBytes: number, env: Record<string, string>, daemonPids?: () => number[]): Promise<RunResult> {
  const heron = await startHeronInstance(env);
  let stopped = false;
  try {
    const empty = heronStoreBytes(heron.dataDir);
    const account = { port: heron.imapPort, user: heron.user, password: heron.password, smtpPort: heron.smtpPort, recipient: heron.recipient, pids: () => [heron.pid] };
    const r = await measure({ ...account, ...(daemonPids ? { helperPids: daemonPids } : {}) }, o, mode === 'reuse');
    const latency = await heronLatency(heron.metricsPort);
    await heron.stop();
    stopped = true;
    return {
      ...throughput(system, mode, r),
      ...(daemonPids ? { filterDaemonsCpuMsPerMsg: r.helperCpuMsPerMsg } : {}),
      latency,
      diskPerByte: (heronStoreBytes(heron.dataDir) - empty) / (r.delivered * messageBytes),
    };
  } finally {
    if (!stopped) await heron.stop();
    removeHeronData(heron);
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function filterEnv(d: FilterDaemons): Record<string, string> | null {
  if (!d.rspamd || !d.clamd || !d.dns) return null;
  return { HERON_RSPAMD_URL: d.rspamd, HERON_CLAMD: d.clamd, HERON_DNS_SERVER: d.dns, HERON_MAILAUTH: 'on' };
}

/**
 * MX intake side by side, in one run on one machine: Postfix's smtp-source sends `messages` of
 * `messageBytes` over `sessions` parallel sessions, one message per connection and then with
 * connection reuse (`-d`), to (a) Debian's Postfix delivering to Debian's Dovecot over LMTP and
 * (b) `heron start` with its default configuration, filters off (no SPF/DKIM/DMARC lookups) and
 * on (mailauth against a loopback DNS stub, real clamd and rspamd). The clock stops once IMAP
 * shows every message. Every run gets a fresh instance; rounds alternate the order. Prints
 * medians and the ratios; never asserts.
 */
export async function runSmtpIngestBench(opts: SmtpIngestBenchOptions = {}): Promise<Record<string, number | string>> {
  const o: Required<SmtpIngestBenchOptions> = {
    messages: opts.messages ?? Number(process.env.HERON_BENCH_MESSAGES ?? 2000),
    messageBytes: opts.messageBytes ?? 10 * 1024,
    sessions: opts.sessions ?? 10,
    rounds: opts.rounds ?? Number(process.env.HERON_BENCH_ROUNDS ?? 2),
  };
  const result: Record<string, number | string> = { messages: o.messages, payloadBytes: o.messageBytes, sessions: o.sessions, rounds: o.rounds, cores: cpus().length };
  // Throughput on a shared machine moves with what else runs: the load is part of the figure.
  result['load average at start'] = loadavg()[0]!.toFixed(1);
  const missing = ensureReferenceInstalled((line) => console.log(`  ${line}`));
  const withReference = missing.length === 0;
  if (!withReference) {
    result.reference = `skipped, missing: ${missing.join(', ')}`;
    console.log(`  Postfix+Dovecot reference skipped, missing: ${missing.join(', ')}`);
    if (missing.includes('postfix')) return result;
  }
  const messageBytes = await smtpSourceMessageBytes(o.messageBytes, FROM, 'bench@bench.test');
  result.receivedBytesPerMessage = messageBytes;

  const daemons = acquireFilterDaemons();
  const filters = filterEnv(daemons);
  if (!filters) result.filters = 'skipped: rspamd, clamd or the DNS stub did not start (scripts/daemons.sh)';
  const runs: RunResult[] = [];
  try {
    for (let round = 0; round < o.rounds; round++) {
      for (const mode of ['per-connection', 'reuse'] as const) {
        const jobs: Array<() => Promise<RunResult>> = [
          ...(withReference ? [() => runReference(mode, o, messageBytes)] : []),
          () => runHeron('heron', mode, o, messageBytes, { HERON_MAILAUTH: 'off' }),
          ...(filters ? [() => runHeron('heron+filters', mode, o, messageBytes, filters, daemons.pids)] : []),
        ];
        if (round % 2 === 1) jobs.reverse();
        for (const job of jobs) {
          const r = await job();
          runs.push(r);
          console.log(
            `  round ${round + 1} ${r.mode.padEnd(14)} ${r.system.padEnd(16)} ${r.msgsPerSec.toFixed(1).padStart(7)} msgs/s` +
              `  (smtp ${r.smtpSeconds.toFixed(2)} s + imap wait ${r.imapWaitSeconds.toFixed(2)} s, ${r.delivered}/${o.messages} delivered,` +
              ` ${r.cpuMsPerMsg.toFixed(2)} CPU ms/msg${r.filterDaemonsCpuMsPerMsg !== undefined ? ` of which filter daemons ${r.filterDaemonsCpuMsPerMsg.toFixed(2)}` : ''},` +
              ` ${r.diskPerByte.toFixed(2)} B on disk per B received)`,
          );
          if (r.latency) console.log(`    ${' '.repeat(31)} ${formatLatency(r.latency)}`);
        }
      }
    }
  } finally {
    daemons.release();
  }

  const med = (system: System, mode: Mode, f: (r: RunResult) => number = (r) => r.msgsPerSec) => {
    const v = runs.filter((r) => r.system === system && r.mode === mode).map(f);
    return v.length ? median(v) : NaN;
  };
  for (const mode of ['per-connection', 'reuse'] as const) {
    for (const system of ['postfix+dovecot', 'heron', 'heron+filters'] as const) {
      const v = med(system, mode);
      if (!Number.isNaN(v)) {
        result[`${system} ${mode} msgs/s`] = Number(v.toFixed(1));
        result[`${system} ${mode} CPU ms/msg`] = Number(med(system, mode, (r) => r.cpuMsPerMsg).toFixed(2));
        if (system === 'heron+filters') result[`${system} ${mode} of which filter daemons`] = Number(med(system, mode, (r) => r.filterDaemonsCpuMsPerMsg ?? NaN).toFixed(2));
        if (system !== 'postfix+dovecot') result[`${system} ${mode} delivery ms`] = Number(med(system, mode, (r) => r.latency?.deliveryMs ?? NaN).toFixed(1));
        const filterNames = Object.keys(runs.find((r) => r.system === system && r.latency)?.latency?.filterMs ?? {});
        for (const f of filterNames) result[`${system} ${mode} ${f} ms`] = Number(med(system, mode, (r) => r.latency?.filterMs[f] ?? NaN).toFixed(1));
      }
    }
    const ref = med('postfix+dovecot', mode);
    const heron = med('heron', mode);
    const on = med('heron+filters', mode);
    if (!Number.isNaN(ref)) result[`heron/postfix ${mode}`] = `${(heron / ref).toFixed(2)}x (target >= 1.0x)`;
    if (!Number.isNaN(on)) result[`filters on/off ${mode}`] = `${(on / heron).toFixed(2)}x (target >= 0.6x)`;
    // Whole-system CPU per message off / on: the on/off ratio a CPU-bound machine allows at best.
    const cpuOff = med('heron', mode, (r) => r.cpuMsPerMsg);
    const cpuOn = med('heron+filters', mode, (r) => r.cpuMsPerMsg);
    if (!Number.isNaN(cpuOn)) result[`filters on/off ${mode} CPU bound`] = `${(cpuOff / cpuOn).toFixed(2)}x`;
  }
  result['load average at end'] = loadavg()[0]!.toFixed(1);
  result['heron disk per byte received'] = `${med('heron', 'per-connection', (r) => r.diskPerByte).toFixed(2)}x (target <= 1.15x)`;
  if (withReference) result['dovecot disk per byte received'] = `${med('postfix+dovecot', 'per-connection', (r) => r.diskPerByte).toFixed(2)}x`;
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSmtpIngestBench().then((r) => console.log(JSON.stringify(r, null, 2)));
}
