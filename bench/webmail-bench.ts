/**
 * The web app's first page of a 100,000-message inbox, through the API the page uses (issue 13:
 * p95 under 200 ms): GET /v1/mailboxes (unread counts) and the inbox's first page of
 * conversations, requested together as the page does; then the next page, a thread and a message. The mailbox is filled through the store directly
 * (prepared messages, batched transactions; a quarter of the messages are replies that make
 * threads), then opened again as a server restarting on an existing mailbox would open it.
 * Figures are printed, never asserted.
 *   node --import tsx bench/webmail-bench.ts [messages]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../store/sqlite/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { prepareMessage } from '../mail/mime/index.js';
import { getter } from './http-client.js';
import { createBenchApi } from './bench-api.js';
import { createBenchUser } from './bench-store.js';

const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango report invoice meeting lunch budget travel'.split(' ');
const SENDERS = ['Ann Archer <ann@remote.test>', 'Bo Baker <bo@remote.test>', 'Cy Cooper <cy@remote.test>', 'Di Dyer <di@remote.test>', 'Ed Evans <ed@remote.test>'];

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function rawMessage(i: number): Buffer {
  const w = (k: number) => WORDS[(i * k + k) % WORDS.length];
  // Every fourth message answers one a few messages back: threads of a few messages, spread over pages.
  const parent = i % 4 === 3 ? i - 1 - (i % 7) : -1;
  const head = [
    `From: ${SENDERS[i % SENDERS.length]}`,
    'To: bench@bench.test',
    `Subject: ${parent >= 0 ? 'Re: ' : ''}${w(3)} ${w(5)} ${parent >= 0 ? parent : i}`,
    `Date: ${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toUTCString()}`,
    `Message-ID: <m${i}@bench.test>`,
    ...(parent >= 0 ? [`In-Reply-To: <m${parent}@bench.test>`, `References: <m${parent}@bench.test>`] : []),
    'Content-Type: text/plain; charset=utf-8',
  ];
  return Buffer.from(`${head.join('\r\n')}\r\n\r\nHello, ${w(2)} ${w(7)} ${w(11)} number ${i}.\r\nSee you at the ${w(13)}.\r\n`);
}

export async function runWebmailBench(opts: { messages?: number; rounds?: number } = {}): Promise<Record<string, number | string>> {
  const messages = opts.messages ?? 100_000;
  const rounds = opts.rounds ?? 200;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-webmail-bench-'));
  const blobs = createFsBlobStore(path.join(dir, 'blobs'));
  const dbPath = path.join(dir, 'heron.db');
  let fill = await openSqliteStore({ path: dbPath, blobs, notifier: createMemoryNotifier() });
  const filled = await createBenchUser(fill.users, 'bench password');

  // Fill: deliveries go to the store 256 at a time, so its group commit pays one fsync per batch.
  const fillStart = process.hrtime.bigint();
  for (let i = 0; i < messages; i += 256) {
    const batch: Array<Promise<unknown>> = [];
    for (let j = i; j < Math.min(messages, i + 256); j++) {
      const prepared = await prepareMessage(rawMessage(j), blobs);
      batch.push(fill.mail.deliver(prepared, [{ userId: filled.id, mailbox: { specialUse: '\\Inbox' } }], { internalDate: new Date(Date.UTC(2024, 0, 1) + j * 60_000) }));
    }
    await Promise.all(batch);
    // Reopening refreshes the planner's statistics (PRAGMA optimize on open): a store that grew
    // from empty without them picks table scans, and the fill would slow down as it grows.
    if ((i + 256) % 20_480 === 0) {
      await fill.close();
      fill = await openSqliteStore({ path: dbPath, blobs, notifier: createMemoryNotifier() });
    }
  }
  const fillSec = Number(process.hrtime.bigint() - fillStart) / 1e9;
  await fill.close();

  // The server as it runs after a restart on an existing mailbox (the store refreshes its planner statistics on open).
  const store = await openSqliteStore({ path: dbPath, blobs, notifier: createMemoryNotifier() });
  const api = createBenchApi(store, blobs);
  try {
    const port = await api.listen(0, '127.0.0.1');
    const r = await fetch(`http://127.0.0.1:${port}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench password' }) });
    const { token } = (await r.json()) as { token: string };
    const http = getter(port, { authorization: `Bearer ${token}` });
    const json = async <T>(p: string): Promise<{ ms: number; body: T }> => {
      const t = process.hrtime.bigint();
      const res = await fetch(`http://127.0.0.1:${port}${p}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as T;
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: Number(process.hrtime.bigint() - t) / 1e6, body };
    };
    const timed = async (p: string): Promise<number> => {
      const t = process.hrtime.bigint();
      const status = await http.get(p);
      if (status !== 200) throw new Error(`${p}: ${status}`);
      return Number(process.hrtime.bigint() - t) / 1e6;
    };

    const first = await json<Array<{ id: string; specialUse: string | null; total: number }>>('/v1/mailboxes');
    const inbox = first.body.find((b) => b.specialUse === '\\Inbox')!;
    const listPath = `/v1/mailboxes/${inbox.id}/conversations?limit=50`;
    const cold = await json<{ items: Array<{ threadId: string; latest: { id: string } }>; nextCursor: string }>(listPath);
    const page2Path = `${listPath}&cursor=${encodeURIComponent(cold.body.nextCursor)}`;
    const threadPath = `/v1/threads/${encodeURIComponent(cold.body.items[0]!.threadId)}?mailboxId=${inbox.id}`;
    const messagePath = `/v1/messages/${cold.body.items[0]!.latest.id}`;

    const boxes: number[] = [];
    const list: number[] = [];
    const firstPage: number[] = [];
    const page2: number[] = [];
    const thread: number[] = [];
    const message: number[] = [];
    const inboxPath = '/v1/mailboxes/inbox/conversations?limit=50';
    for (let i = 0; i < rounds; i++) {
      // What the page does on load: the mailboxes (unread counts) and the inbox's first page, side by side.
      const t = process.hrtime.bigint();
      await Promise.all([timed('/v1/mailboxes'), timed(inboxPath)]);
      firstPage.push(Number(process.hrtime.bigint() - t) / 1e6);
      // And each on its own.
      boxes.push(await timed('/v1/mailboxes'));
      list.push(await timed(inboxPath));
      page2.push(await timed(page2Path));
      thread.push(await timed(threadPath));
      message.push(await timed(messagePath));
    }
    http.close();
    const row = (values: number[]) => `p50 ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms`;
    return {
      messages_in_inbox: inbox.total,
      fill_messages_per_s: Math.round(messages / fillSec),
      conversations_on_first_page: cold.body.items.length,
      first_list_request_cold_ms: cold.ms,
      'GET /v1/mailboxes': row(boxes),
      'GET conversations (first 50)': row(list),
      'first page (both at once), target p95 < 200 ms': row(firstPage),
      'GET conversations (second page)': row(page2),
      'GET /v1/threads/:id': row(thread),
      'GET /v1/messages/:id': row(message),
    };
  } finally {
    await api.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  for (const [k, v] of Object.entries(await runWebmailBench({ messages: Number(process.argv[2] ?? 100_000) }))) console.log(`  ${k.padEnd(52)} ${v}`);
}
