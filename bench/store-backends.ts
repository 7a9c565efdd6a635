/**
 * MX ingest and IMAP figures for the SQLite backend and the MongoDB backend side by side, each a
 * `heron start` process (MX + IMAP) on its own data: N messages sent over SMTP by a nodemailer
 * pool, then read over IMAP (imapflow) as a client would. The MongoDB side runs against jongodb,
 * a wire-compatible test server whose writes slow down as collections grow: its figures say
 * what the MongoDB code path costs here, NOT how fast a real MongoDB is.
 * Run alone: node --import tsx bench/store-backends.ts [messages]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { baseEnv, freePort, heronCli, startHeronProcess } from '../test/helpers/heron-process.js';
import { haveJongodb, startJongodb, testDatabaseName, type JongodbServer } from '../test/helpers/jongodb.js';

const PASSWORD = 'bench pass 1';

function message(i: number): { subject: string; text: string } {
  const words = ['quarterly', 'report', 'meeting', 'invoice', 'lunch', 'project', 'deadline', 'review'];
  const text = Array.from({ length: 400 }, (_, j) => words[(i * 7 + j) % words.length]).join(' ');
  return { subject: `bench message ${i} ${words[i % words.length]}`, text };
}

async function measure(label: string, storeEnv: Record<string, string>, total: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), `heron-bench-${label}-`));
  const smtp = await freePort();
  const imap = await freePort();
  const env = baseEnv(dir, { ...storeEnv, HERON_SMTP_PORT: String(smtp), HERON_IMAP_PORT: String(imap), HERON_LOG_LEVEL: 'warn', HERON_ROLES: 'mx,imap' });
  const made = heronCli(['user', 'add', 'bench@heron.test', '--password', PASSWORD], env);
  if (made.status !== 0) throw new Error(made.stderr);
  const heron = startHeronProcess({ ...env, HERON_LOG_LEVEL: 'info' });
  const out: Record<string, number> = {};
  try {
    await heron.waitFor(/heron started/);
    const pool = nodemailer.createTransport({ host: '127.0.0.1', port: smtp, secure: false, ignoreTLS: true, pool: true, maxConnections: 5, maxMessages: Infinity });
    let t = performance.now();
    await Promise.all(Array.from({ length: total }, (_, i) => pool.sendMail({ from: 'sender@remote.example', to: 'bench@heron.test', ...message(i) })));
    out[`${label}_mx_msgs_per_s`] = total / ((performance.now() - t) / 1000);
    pool.close();

    const client = new ImapFlow({ host: '127.0.0.1', port: imap, secure: false, doSTARTTLS: true, auth: { user: 'bench@heron.test', pass: PASSWORD }, tls: { rejectUnauthorized: false }, logger: false });
    await client.connect();
    t = performance.now();
    await client.mailboxOpen('INBOX');
    out[`${label}_imap_select_ms`] = performance.now() - t;
    t = performance.now();
    let n = 0;
    for await (const m of client.fetch('1:*', { flags: true, uid: true })) if (m.uid) n++;
    out[`${label}_imap_fetch_flags_all_ms`] = performance.now() - t;
    out[`${label}_imap_messages`] = n;
    t = performance.now();
    await client.search({ body: 'invoice' }, { uid: true });
    out[`${label}_imap_search_body_ms`] = performance.now() - t;
    t = performance.now();
    await client.search({ subject: 'message 1' }, { uid: true });
    out[`${label}_imap_search_subject_substring_ms`] = performance.now() - t;
    t = performance.now();
    for await (const m of client.fetch('1:50', { source: true })) if (!m.source) throw new Error('no body');
    out[`${label}_imap_fetch_50_bodies_ms`] = performance.now() - t;
    t = performance.now();
    await client.messageFlagsAdd('1:*', ['\\Seen']);
    out[`${label}_imap_store_seen_all_ms`] = performance.now() - t;
    await client.logout();
  } finally {
    heron.child.kill('SIGTERM');
    await heron.exited;
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export async function runStoreBackendsBench(opts: { messages?: number } = {}): Promise<Record<string, number | string>> {
  const total = opts.messages ?? Number(process.env.HERON_BENCH_MESSAGES ?? 500);
  const results: Record<string, number | string> = { messages: total };
  Object.assign(results, await measure('sqlite', {}, total));
  if (!haveJongodb()) {
    results.jongodb = 'not available on this platform';
    return results;
  }
  let server: JongodbServer | undefined;
  try {
    server = await startJongodb();
    Object.assign(results, await measure('jongodb', { HERON_STORE: 'mongodb', HERON_MONGODB_URI: server.uri(testDatabaseName('bench')) }, total));
  } finally {
    await server?.stop();
  }
  results.note = 'jongodb is a test server: its figures are not MongoDB speed figures';
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await runStoreBackendsBench(process.argv[2] ? { messages: Number(process.argv[2]) } : {});
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(44)} ${typeof v === 'number' ? v.toFixed(2) : v}`);
}
