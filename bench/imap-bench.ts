/**
 * IMAP on a 50,000-message INBOX (issue 8 item 7): the same messages are filled into Heron's
 * store and into a Maildir served by Debian's Dovecot 2.3, and the same raw-socket client times
 * SELECT, FETCH 1:* FLAGS, FETCH 1:* ENVELOPE, UID SEARCH BODY, SORT (DATE) and THREAD REFERENCES
 * on both, printed side by side. Then imapflow's view of Heron, a 10 MB body, and the server's
 * memory with 10,000 connections in IDLE. Figures are printed, never asserted.
 */
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { LoginPolicy, User, UserStore } from '../domain/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { createImapServer } from '../imap/index.js';
import { createSearchTextExtractor } from '../mail/mime/index.js';
import { makeSelfSignedCert } from '../test/helpers/tls.js';
import { startDovecot } from './dovecot-instance.js';

const run = promisify(execFile);
const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));
const node = (file: string, args: string[]) => run(process.execPath, ['--import', 'tsx', here(file), ...args], { maxBuffer: 4 * 1024 * 1024 });
const lastJson = (stdout: string): Record<string, number> => JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;

/**
 * Logins for the bench: the password checked once, then remembered (Dovecot's auth cache does
 * the same), so opening 10,000 IDLE sessions measures IMAP, not 10,000 password hashes.
 */
function cachedPasswordPolicy(users: UserStore): LoginPolicy {
  const known = new Map<string, User>();
  const unsupported = async (): Promise<never> => {
    throw new Error('not used by the bench');
  };
  return {
    async protocolLogin(req) {
      const key = `${req.login}\0${req.password}`;
      let user = known.get(key) ?? null;
      if (!user) {
        user = await users.verifyPassword(req.login, req.password);
        if (user) known.set(key, user);
      }
      return user ? { ok: true, user, method: 'password' } : { ok: false, reason: 'invalid' };
    },
    passwordLogin: unsupported,
    startSecondFactor: unsupported,
    verifySecondFactor: unsupported,
  };
}

/** Opens `count` IDLE sessions from a child process; returns the server RSS they added, per connection. */
async function idleMemory(port: number, count: number): Promise<Record<string, number>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const child = spawn(process.execPath, ['--import', 'tsx', here('./imap-idle-client.ts'), String(port), 'bench@bench.test', 'bench-password-1', String(count)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`idle client exited ${code}`)));
  });
  await new Promise((r) => setTimeout(r, 2000));
  gc?.();
  const after = process.memoryUsage();
  child.stdin.end();
  await new Promise((r) => child.once('exit', r));
  const ready = (JSON.parse(line) as { ready: number; open_ms: number });
  return {
    idle_connections: ready.ready,
    idle_open_ms: ready.open_ms,
    idle_rss_per_connection_kib: Math.round((after.rss - before.rss) / 1024 / Math.max(1, ready.ready)),
    idle_heap_per_connection_kib: Math.round(((after.heapUsed - before.heapUsed) / 1024 / Math.max(1, ready.ready)) * 10) / 10,
  };
}

export async function runImapBench(opts: { messages?: number; idle?: number } = {}): Promise<Record<string, number | string>> {
  const total = opts.messages ?? Number(process.env.HERON_BENCH_IMAP_MESSAGES ?? 50_000);
  const idleCount = opts.idle ?? Number(process.env.HERON_BENCH_IMAP_IDLE ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'heron-imap-bench-'));
  const results: Record<string, number | string> = { messages: total };
  let server: ReturnType<typeof createImapServer> | undefined;
  let store: Awaited<ReturnType<typeof openSqliteStore>> | undefined;
  const dovecot = await startDovecot(dir, 'bench', 'bench-password-1');
  try {
    const fill = await node('./imap-bench-fill.ts', [dir, String(total), ...(dovecot ? [dovecot.maildir] : [])]);
    Object.assign(results, lastJson(fill.stdout));
    dovecot?.own();
    const blobs = createFsBlobStore(join(dir, 'blobs'));
    const notifier = createMemoryNotifier();
    store = await openSqliteStore({ path: join(dir, 'bench.db'), blobs, notifier, textExtractor: createSearchTextExtractor() });
    const tls = makeSelfSignedCert(dir);
    server = createImapServer({
      users: store.users, mail: store.mail, blobs, notifier, loginPolicy: cachedPasswordPolicy(store.users), logger: pino({ level: process.env.HERON_BENCH_LOG ?? 'silent' }), metrics: new Registry(),
      hostname: 'localhost', secure: true, tls,
      limits: { maxMessageSize: 64 * 1024 * 1024, maxConnectionsPerIp: idleCount + 100, maxConnectionsPerUser: idleCount + 100, maxIdlePerUser: idleCount + 100, maxIdlePerIp: idleCount + 100 },
    });
    const port = await server.listen(0, '127.0.0.1');
    // The fill ran in its own process: what this one holds is the server's.
    let servingPeak = process.memoryUsage().rss;
    const sampler = setInterval(() => (servingPeak = Math.max(servingPeak, process.memoryUsage().rss)), 25);
    // Both servers through the same raw-socket client, in a process of its own.
    Object.assign(results, lastJson((await node('./imap-bench-raw.ts', [String(port), 'bench@bench.test', 'bench-password-1', 'heron'])).stdout));
    if (dovecot) Object.assign(results, lastJson((await node('./imap-bench-raw.ts', [String(dovecot.port), 'bench', 'bench-password-1', 'dovecot'])).stdout));
    else results.dovecot = 'not available (needs root to run Debian dovecot-imapd)';
    // imapflow's view, as a client application sees it.
    Object.assign(results, lastJson((await node('./imap-bench-client.ts', [String(port), 'bench@bench.test', 'bench-password-1'])).stdout));
    clearInterval(sampler);
    results.server_serving_peak_rss_mb = Math.round(servingPeak / 1024 / 1024);
    if (idleCount > 0) Object.assign(results, await idleMemory(port, idleCount));
    results.server_peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  } finally {
    await server?.close();
    await store?.close();
    dovecot?.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
