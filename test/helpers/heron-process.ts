import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, dirname } from 'node:path';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(REPO_ROOT, 'server', 'cli.ts');
/** tsx by path, so the CLI also runs from another working directory (quickstart's). */
const TSX = pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** A port that was free a moment ago (for child processes, which cannot report a port-0 bind back). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Every listener off; a test turns on the ones it needs. */
export function baseEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HERON_DATA_DIR: dataDir,
    HERON_HOSTNAME: 'mx.heron.test',
    HERON_DOMAINS: 'heron.test',
    HERON_BIND: '127.0.0.1',
    HERON_SMTP_PORT: '0',
    HERON_SUBMISSION_PORT: '0',
    HERON_SUBMISSIONS_PORT: '0',
    HERON_IMAP_PORT: '0',
    HERON_IMAPS_PORT: '0',
    HERON_API_PORT: '0',
    HERON_METRICS_PORT: '0',
    HERON_HTTP_PORT: '0',
    HERON_HTTPS_PORT: '0',
    HERON_LOG_LEVEL: 'info',
    // No DNS leaves the machine in tests: SPF/DKIM/DMARC lookups are off unless a test turns them on.
    HERON_MAILAUTH: 'off',
    ...extra,
  };
}

/** Runs `heron <args>` to completion; `input` is its standard input (passwords are read from there). */
export function heronCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { input?: string; cwd?: string } = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, CLI, ...args], {
    env,
    encoding: 'utf8',
    cwd: opts.cwd ?? REPO_ROOT,
    timeout: 60_000,
    input: opts.input ?? '',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface HeronProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when a log line matching `re` appears; rejects if the process exits first. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `heron start` as a child process (so a test can kill -9 it). */
export function startHeronProcess(env: NodeJS.ProcessEnv, opts: { cwd?: string } = {}): HeronProcess {
  const child = spawn(process.execPath, ['--import', TSX, CLI, 'start'], { env, cwd: opts.cwd ?? REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.slice()) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      for (const w of waiters.slice()) w();
    }),
  );
  return {
    child,
    output: () => out,
    exited,
    waitFor(re, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${re} in:\n${out}`));
        }, timeoutMs);
        const check = () => {
          const m = re.exec(out);
          if (m) {
            done();
            resolve(m[0]);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`heron exited (${child.exitCode ?? child.signalCode}) before ${re}:\n${out}`));
          }
        };
        const done = () => {
          clearTimeout(timer);
          const i = waiters.indexOf(check);
          if (i >= 0) waiters.splice(i, 1);
        };
        waiters.push(check);
        check();
      });
    },
  };
}
