/**
 * The fill phase of bench/imap-bench.ts, in a process of its own so the server process measured
 * afterwards starts with none of the fill's memory: argv = data dir, message count.
 */
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { PreparedMessage } from '../domain/index.js';
import { prepareMessage } from '../mail/message-codec/index.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { randomBytes } from 'node:crypto';

const require = createRequire(import.meta.url);
const MailComposer = require('nodemailer/lib/mail-composer') as new (mail: object) => { compile(): { build(): Promise<Buffer> } };
const WORDS = ['apple', 'river', 'stone', 'cloud', 'maple', 'ember', 'quartz', 'lumen', 'otter', 'cedar', 'delta', 'harbor', 'nimbus', 'pixel', 'sable', 'tundra'];

const [dir, count] = [process.argv[2]!, Number(process.argv[3])];
const blobs = createFsBlobStore(join(dir, 'blobs'));
const store = await openSqliteStore({ path: join(dir, 'bench.db'), blobs, notifier: createMemoryNotifier() });
await store.users.addDomain('bench.test');
const user = await store.users.createUser({ username: 'bench', address: 'bench@bench.test', password: 'bench-password-1', verified: true });
const base = await prepareMessage(Buffer.from('From: Sender <s@bench.test>\r\nTo: bench@bench.test\r\nSubject: hello\r\n\r\nsmall body\r\n'), blobs);
// One transaction per 5,000 deliveries and no fsync, or the bench would measure the disk's
// fsync rate 50,000 times over instead of IMAP.
store.db.pragma('synchronous = OFF');
const started = process.hrtime.bigint();
for (let i = 0; i < count; i += 5000) {
  store.db.exec('BEGIN');
  for (let j = i; j < Math.min(count, i + 5000); j++) {
    const w = `${WORDS[j % WORDS.length]} ${WORDS[(j * 7) % WORDS.length]} n${j}`;
    const msg: PreparedMessage = { ...base, header: { ...base.header, subject: `Message ${j} ${w}` }, text: `body ${w}` };
    await store.mail.deliver(msg, [{ userId: user.id, mailbox: { specialUse: '\\Inbox' } }]);
  }
  store.db.exec('COMMIT');
}
const fillMs = Number(process.hrtime.bigint() - started) / 1e6;
store.db.pragma('synchronous = FULL');
const bigRaw = await new MailComposer({ from: 's@bench.test', to: 'bench@bench.test', subject: 'ten megabytes', text: 'big', attachments: [{ filename: 'big.bin', content: randomBytes(7_500_000) }] }).compile().build();
const big = await prepareMessage(bigRaw, blobs);
await store.mail.deliver(big, [{ userId: user.id, mailbox: { specialUse: '\\Archive' } }]);
await store.close();
console.log(JSON.stringify({ fill_ms: Math.round(fillMs), big_message_bytes: big.size }));
