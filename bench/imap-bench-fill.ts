/**
 * The fill phase of bench/imap-bench.ts, in a process of its own so the server process measured
 * afterwards starts with none of the fill's memory: argv = data dir, message count, and
 * optionally a Maildir the same messages are written to (for Dovecot, timed beside Heron).
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { prepareMessage } from '../mail/mime/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { randomBytes } from 'node:crypto';
import { createBenchUser } from './bench-store.js';

const require = createRequire(import.meta.url);
const MailComposer = require('nodemailer/lib/mail-composer') as new (mail: object) => { compile(): { build(): Promise<Buffer> } };
const WORDS = ['apple', 'river', 'stone', 'cloud', 'maple', 'ember', 'quartz', 'lumen', 'otter', 'cedar', 'delta', 'harbor', 'nimbus', 'pixel', 'sable', 'tundra'];

const [dir, count, maildir] = [process.argv[2]!, Number(process.argv[3]), process.argv[4]];
if (maildir) for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
const DAY0 = Date.UTC(2020, 0, 1);

/** Message j: dated a few minutes apart, in threads of five (Message-ID / References), so SORT and THREAD have work. */
function message(j: number): { raw: Buffer; date: Date } {
  const w = `${WORDS[j % WORDS.length]} ${WORDS[(j * 7) % WORDS.length]} n${j}`;
  const date = new Date(DAY0 + ((j * 7919) % count) * 300_000);
  const root = j - (j % 5);
  const refs = j === root ? '' : `References: <m${root}@bench.test>${j - 1 > root ? ` <m${j - 1}@bench.test>` : ''}\r\n`;
  const subject = j === root ? `Message ${root} ${w}` : `Re: Message ${root} ${w}`;
  const raw = Buffer.from(`From: Sender ${j % 97} <s${j % 97}@bench.test>\r\nTo: bench@bench.test\r\nSubject: ${subject}\r\nDate: ${date.toUTCString().replace('GMT', '+0000')}\r\nMessage-ID: <m${j}@bench.test>\r\n${refs}\r\nbody ${w}\r\n`);
  return { raw, date };
}
const blobs = createFsBlobStore(join(dir, 'blobs'));
const store = await openSqliteStore({ path: join(dir, 'bench.db'), blobs, notifier: createMemoryNotifier() });
const user = await createBenchUser(store.users, 'bench-password-1');
// Deliveries go to the store 256 at a time: its group commit then pays one fsync per batch,
// and the bench measures IMAP rather than the disk's fsync rate 50,000 times over.
const started = process.hrtime.bigint();
for (let i = 0; i < count; i += 256) {
  const batch: Array<Promise<unknown>> = [];
  for (let j = i; j < Math.min(count, i + 256); j++) {
    const { raw, date } = message(j);
    batch.push(store.mail.deliver(await prepareMessage(raw, blobs), [{ userId: user.id, mailbox: { specialUse: '\\Inbox' } }], { internalDate: date }));
    if (maildir) {
      const file = join(maildir, 'cur', `${1_600_000_000 + j}.M${j}P1.bench,S=${raw.length}:2,`);
      writeFileSync(file, raw);
      utimesSync(file, date, date);
    }
  }
  await Promise.all(batch);
}
const fillMs = Number(process.hrtime.bigint() - started) / 1e6;
const bigRaw = await new MailComposer({ from: 's@bench.test', to: 'bench@bench.test', subject: 'ten megabytes', text: 'big', attachments: [{ filename: 'big.bin', content: randomBytes(7_500_000) }] }).compile().build();
const big = await prepareMessage(bigRaw, blobs);
await store.mail.deliver(big, [{ userId: user.id, mailbox: { specialUse: '\\Archive' } }]);
await store.close();
console.log(JSON.stringify({ fill_ms: Math.round(fillMs), big_message_bytes: big.size }));
