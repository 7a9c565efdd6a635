/**
 * IMAP benchmark: a 50,000-message mailbox filled through MailStore.deliver (in a child process,
 * bench/imap-bench-fill.ts), then served from this process and measured with
 * imapflow (bench/imap-bench-client.ts, in a child process) over TLS on loopback. Prints figures; asserts nothing about time.
 * Run alone: node --import tsx bench/imap-bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pino from 'pino';
import { Registry } from 'prom-client';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { openSqliteStore } from '../store/sqlite/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { createImapServer } from '../imap/index.js';
import { makeSelfSignedCert } from '../test/helpers/tls.js';

const run = promisify(execFile);

export async function runImapBench(opts: { messages?: number } = {}): Promise<Record<string, number | string>> {
  const total = opts.messages ?? 50_000;
  const dir = mkdtempSync(join(tmpdir(), 'heron-imap-bench-'));
  const results: Record<string, number | string> = { messages: total };
  let server: ReturnType<typeof createImapServer> | undefined;
  let store: Awaited<ReturnType<typeof openSqliteStore>> | undefined;
  try {
    const fill = await run(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./imap-bench-fill.ts', import.meta.url)), dir, String(total)], { maxBuffer: 1024 * 1024 });
    Object.assign(results, JSON.parse(fill.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>);
    const blobs = createFsBlobStore(join(dir, 'blobs'));
    const notifier = createMemoryNotifier();
    store = await openSqliteStore({ path: join(dir, 'bench.db'), blobs, notifier });
    const tls = makeSelfSignedCert(dir);
    server = createImapServer({
      users: store.users, mail: store.mail, blobs, notifier, logger: pino({ level: process.env.HERON_BENCH_LOG ?? 'silent' }), metrics: new Registry(),
      hostname: 'localhost', secure: true, tls, limits: { maxMessageSize: 64 * 1024 * 1024 },
    });
    const port = await server.listen(0, '127.0.0.1');
    // The fill ran in its own process: what this one holds is the server's.
    let servingPeak = process.memoryUsage().rss;
    const sampler = setInterval(() => (servingPeak = Math.max(servingPeak, process.memoryUsage().rss)), 25);
    // imapflow runs in a child process: in this one its parsing would share the server's event loop.
    const child = await run(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./imap-bench-client.ts', import.meta.url)), String(port), 'bench@bench.test', 'bench-password-1'], {
      maxBuffer: 1024 * 1024,
    });
    Object.assign(results, JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>);
    clearInterval(sampler);
    results.server_serving_peak_rss_mb = Math.round(servingPeak / 1024 / 1024);
    results.server_peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  } finally {
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = process.env.HERON_BENCH_MESSAGES ? Number(process.env.HERON_BENCH_MESSAGES) : undefined;
  runImapBench(n ? { messages: n } : {}).then((r) => console.log(JSON.stringify(r, null, 2)));
}
