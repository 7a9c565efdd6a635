/**
 * IMAP benchmark: a 50,000-message mailbox filled through MailStore.deliver, then measured with
 * imapflow (bench/imap-bench-client.ts, in a child process) over TLS on loopback. Prints figures; asserts nothing about time.
 * Run alone: node --import tsx bench/imap-bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pino from 'pino';
import { Registry } from 'prom-client';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { PreparedMessage } from '../domain/index.js';
import { prepareMessage } from '../mail/message-codec/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { createImapServer } from '../imap/index.js';
import { makeSelfSignedCert } from '../test/helpers/tls.js';

const require = createRequire(import.meta.url);
const MailComposer = require('nodemailer/lib/mail-composer') as new (mail: object) => { compile(): { build(): Promise<Buffer> } };

const WORDS = ['apple', 'river', 'stone', 'cloud', 'maple', 'ember', 'quartz', 'lumen', 'otter', 'cedar', 'delta', 'harbor', 'nimbus', 'pixel', 'sable', 'tundra'];

const run = promisify(execFile);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const v = await fn();
  return [v, Number(process.hrtime.bigint() - t) / 1e6];
}

export async function runImapBench(opts: { messages?: number } = {}): Promise<Record<string, number | string>> {
  const total = opts.messages ?? 50_000;
  const dir = mkdtempSync(join(tmpdir(), 'heron-imap-bench-'));
  const blobs = createFsBlobStore(join(dir, 'blobs'));
  const notifier = createMemoryNotifier();
  const store = await openSqliteStore({ path: join(dir, 'bench.db'), blobs, notifier });
  const tls = makeSelfSignedCert(dir);
  const server = createImapServer({
    users: store.users, mail: store.mail, blobs, notifier, logger: pino({ level: process.env.HERON_BENCH_LOG ?? 'silent' }), metrics: new Registry(),
    hostname: 'localhost', secure: true, tls, limits: { maxMessageSize: 64 * 1024 * 1024 },
  });
  const results: Record<string, number | string> = { messages: total };
  try {
    await store.users.addDomain('bench.test');
    const user = await store.users.createUser({ username: 'bench', address: 'bench@bench.test', password: 'bench-password-1', verified: true });

    const base = await prepareMessage(Buffer.from('From: Sender <s@bench.test>\r\nTo: bench@bench.test\r\nSubject: hello\r\n\r\nsmall body\r\n'), blobs);
    // Fill phase only: one transaction per 5,000 deliveries and no fsync, or the bench would
    // measure the disk's fsync rate 50,000 times over instead of IMAP.
    store.db.pragma('synchronous = OFF');
    const [, fillMs] = await timed(async () => {
      for (let i = 0; i < total; i += 5000) {
        store.db.exec('BEGIN');
        for (let j = i; j < Math.min(total, i + 5000); j++) {
          const w = `${WORDS[j % WORDS.length]} ${WORDS[(j * 7) % WORDS.length]} n${j}`;
          const msg: PreparedMessage = { ...base, header: { ...base.header, subject: `Message ${j} ${w}` }, text: `body ${w}` };
          await store.mail.deliver(msg, [{ userId: user.id, mailbox: { specialUse: '\\Inbox' } }]);
        }
        store.db.exec('COMMIT');
      }
    });
    store.db.pragma('synchronous = FULL');
    results.fill_ms = Math.round(fillMs);

    const bigRaw = await new MailComposer({ from: 's@bench.test', to: 'bench@bench.test', subject: 'ten megabytes', text: 'big', attachments: [{ filename: 'big.bin', content: randomBytes(7_500_000) }] }).compile().build();
    const big = await prepareMessage(bigRaw, blobs);
    await store.mail.deliver(big, [{ userId: user.id, mailbox: { specialUse: '\\Archive' } }]);
    results.big_message_bytes = big.size;

    const port = await server.listen(0, '127.0.0.1');
    // imapflow runs in a child process: in this one its parsing would share the server's event loop.
    const child = await run(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./imap-bench-client.ts', import.meta.url)), String(port), 'bench@bench.test', 'bench-password-1'], {
      maxBuffer: 1024 * 1024,
    });
    Object.assign(results, JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>);
    results.server_peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  } finally {
    await server.close();
    await store.close();
    await notifier.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = process.env.HERON_BENCH_MESSAGES ? Number(process.env.HERON_BENCH_MESSAGES) : undefined;
  runImapBench(n ? { messages: n } : {}).then((r) => console.log(JSON.stringify(r, null, 2)));
}
