import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeTakeoutMbox } from '../test/helpers/takeout-mbox.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'server', 'cli.ts');
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface ImportBenchOptions {
  /** Messages in the generated mbox (HERON_BENCH_IMPORT_MESSAGES, default 200,000). */
  messages?: number;
  /** Body bytes per message (HERON_BENCH_IMPORT_BODY, default 4 KB; 50 KB makes 200,000 messages about 10 GB). */
  bodySize?: number;
}

/**
 * A running process's memory from /proc: peak resident set (VmHWM) and, apart, its anonymous
 * part now (heap, SQLite page cache) -- the rest is the database file SQLite maps (mmap_size),
 * which the kernel can drop at any time. Zeros once it is gone.
 */
function memory(pid: number): { peak: number; anon: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { peak: kb('VmHWM'), anon: kb('RssAnon') };
  } catch {
    return { peak: 0, anon: 0 };
  }
}

/** Runs the CLI with `input` on standard input; resolves with its wall time and the peak RSS seen. */
function cli(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<{ seconds: number; peak: number; peakAnon: number; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { env, cwd: ROOT, stdio: ['pipe', 'ignore', 'pipe'] });
    let peak = 0;
    let peakAnon = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setInterval(() => {
      const m = memory(child.pid!);
      peak = Math.max(peak, m.peak);
      peakAnon = Math.max(peakAnon, m.anon);
    }, 200);
    child.stdin.end(input);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peak, peakAnon, code, stderr });
    });
  });
}

/**
 * `heron import` of a generated Google-Takeout mbox: messages per second, MB per second and the
 * import process's peak RSS (the goal: under 512 MB whatever the file's size), then a second run
 * over the same file (everything already there).
 */
export async function runImportBench(opts: ImportBenchOptions = {}): Promise<Record<string, number | string>> {
  const messages = opts.messages ?? Number(process.env.HERON_BENCH_IMPORT_MESSAGES ?? 200_000);
  const bodySize = opts.bodySize ?? Number(process.env.HERON_BENCH_IMPORT_BODY ?? 4096);
  const dir = mkdtempSync(join(tmpdir(), 'heron-import-bench-'));
  try {
    const file = join(dir, 'takeout.mbox');
    const expected = await writeTakeoutMbox(file, { count: messages, bodySize });
    const bytes = statSync(file).size;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HERON_DATA_DIR: join(dir, 'data'),
      HERON_DOMAINS: 'example.test',
      HERON_LOG_LEVEL: 'warn',
      HERON_DEFAULT_QUOTA: '0',
    };
    const add = await cli(['user', 'add', 'ann@example.test'], env, 'bench-secret-1\n');
    if (add.code !== 0) throw new Error(`user add failed: ${add.stderr}`);
    const first = await cli(['import', 'ann@example.test', file], env);
    if (first.code !== 0) throw new Error(`import failed: ${first.stderr}`);
    const second = await cli(['import', 'ann@example.test', file], env);
    return {
      messages: expected.good,
      'mbox size (MB)': bytes / 1e6,
      'import msgs/s': expected.good / first.seconds,
      'import MB/s': bytes / 1e6 / first.seconds,
      'import seconds': first.seconds,
      'import peak RSS (MB)': first.peak / 1e6,
      'import peak anon RSS (MB, no mmap)': first.peakAnon / 1e6,
      'second run msgs/s (all already there)': expected.good / second.seconds,
      'second run peak RSS (MB)': second.peak / 1e6,
      'load average at the end': loadavg()[0]!,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const [k, v] of Object.entries(await runImportBench())) console.log(`  ${k.padEnd(40)} ${typeof v === 'number' ? v.toFixed(2) : v}`);
}
