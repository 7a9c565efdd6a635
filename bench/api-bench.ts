/**
 * API figures (printed, never asserted): authenticated GET /v1/me/profile requests/s (token cache
 * hit), password login requests/s (argon2id-bound by design) and Gmail-query search latency on a
 * large mailbox. Everything in-process on 127.0.0.1 with a throwaway SQLite store.
 *   node --import tsx bench/api-bench.ts [messages]
 */
import { createBenchApi } from './bench-api.js';
import { createBenchUser, openTempStore } from './bench-store.js';
import { prepareMessage } from '../mail/mime/index.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { getter, loop } from './http-client.js';

const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu report invoice meeting lunch budget travel'.split(' ');

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export async function runApiBench(opts: { messages?: number; profileRequests?: number; logins?: number } = {}): Promise<Record<string, number | string>> {
  const messages = opts.messages ?? 50_000;
  const temp = await openTempStore('heron-api-bench-', { file: 'heron.db' });
  const { blobs, store } = temp;
  const api = createBenchApi(store, blobs);
  try {
    const user = await createBenchUser(store.users, 'bench password');
    const port = await api.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${port}`;
    const login = async () => {
      const r = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench password' }) });
      const body = (await r.json()) as { token: string };
      if (r.status !== 200) throw new Error(`login ${r.status}`);
      return body.token;
    };
    const token = await login();
    const auth = { authorization: `Bearer ${token}` };

    // The load comes from another process: in this one it would take half the server's CPU.
    const load = await promisify(execFile)(process.execPath, [
      '--import', 'tsx', fileURLToPath(new URL('./http-client.ts', import.meta.url)),
      String(port), '/v1/me/profile', String(opts.profileRequests ?? 20_000), '32', auth.authorization,
    ]);
    const profileRps = (JSON.parse(load.stdout.trim().split('\n').pop()!) as { rps: number }).rps;
    const t1 = Date.now();
    const loginRps = await loop(8, opts.logins ?? 200, async () => {
      await login();
    });

    const loginSeconds = (Date.now() - t1) / 1000;
    // Fill the mailbox: each message a few random words, so terms have realistic selectivity.
    const fillStart = Date.now();
    const BATCH = 500;
    for (let i = 0; i < messages; i += BATCH) {
      for (let j = i; j < Math.min(messages, i + BATCH); j++) {
        const words = Array.from({ length: 30 }, (_, k) => WORDS[(j * 7 + k * 13 + (j % 11) * k) % WORDS.length]).join(' ');
        const raw = Buffer.from(
          `From: sender${j % 50}@remote.test\r\nTo: bench@bench.test\r\nSubject: ${WORDS[j % WORDS.length]} ${WORDS[(j * 3) % WORDS.length]} #${j}\r\nMessage-ID: <m${j}@remote.test>\r\nDate: ${new Date(Date.UTC(2025, 0, 1) + j * 60_000).toUTCString()}\r\n\r\n${words} unique${j}\r\n`,
        );
        await store.mail.deliver(await prepareMessage(raw, blobs), [{ userId: user.id, mailbox: { specialUse: '\\Inbox' } }], { internalDate: new Date(Date.UTC(2025, 0, 1) + j * 60_000) });
      }
    }
    const fillSeconds = (Date.now() - fillStart) / 1000;

    const queries = ['report', 'from:sender7', 'subject:budget', '"alpha bravo"', 'invoice -lunch', 'is:unread meeting', 'after:2025/01/10 travel', `unique${Math.floor(messages / 2)}`, 'larger:1K', 'golf OR hotel'];
    const times: number[] = [];
    const slowest: Record<string, number> = {};
    // A fresh client: sockets idle through the (event-loop-blocking) fill may have been closed.
    const searcher = getter(port, auth);
    for (let round = 0; round < 5; round++) {
      for (const q of queries) {
        const t0 = process.hrtime.bigint();
        const status = await searcher.get(`/v1/search?limit=50&q=${encodeURIComponent(q)}`);
        if (status !== 200) throw new Error(`search ${q}: ${status}`);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        times.push(ms);
        slowest[q] = Math.max(slowest[q] ?? 0, Math.round(ms * 10) / 10);
      }
    }
    searcher.close();
    return {
      'api.profile_get_rps': Math.round(profileRps),
      'api.login_rps': Math.round(loginRps * 10) / 10,
      'api.login_seconds': Math.round(loginSeconds),
      'api.search_mailbox_messages': messages,
      'api.search_fill_seconds': Math.round(fillSeconds),
      'api.search_p50_ms': Math.round(percentile(times, 50) * 10) / 10,
      'api.search_p95_ms': Math.round(percentile(times, 95) * 10) / 10,
      'api.search_slowest_query': Object.entries(slowest).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([q, ms]) => `${q} ${ms}ms`).join('; '),
    };
  } finally {
    await api.close();
    await temp.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  console.log(await runApiBench(n !== undefined ? { messages: n } : {}));
}
