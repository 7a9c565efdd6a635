/**
 * SQLite store figures on a 50,000-message mailbox: FETCH FLAGS-style reads, UID SEARCH TEXT,
 * unseen counts, STORE over the whole mailbox. Measures only; never asserts timings.
 * Run alone: `node --import tsx bench/store-fetch.ts [count]`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../store/sqlite/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { makeMessage } from '../test/store/fixtures.js';
import { insertMessage } from '../store/sqlite/message-rows.js';
import { requireMailbox } from '../store/sqlite/mailbox-rows.js';

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

export async function runStoreFetchBench(count = 50_000): Promise<Record<string, number | string>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-bench-store-'));
  const blobs = createFsBlobStore(path.join(dir, 'blobs'));
  const store = await openSqliteStore({ path: path.join(dir, 'heron.sqlite'), blobs, notifier: createMemoryNotifier() });
  try {
    await store.users.addDomain('bench.test');
    const user = await store.users.createUser({ username: 'bench', address: 'bench@bench.test', password: 'bench' });
    const inbox = (await store.mail.getMailbox(user.id, 'INBOX'))!;
    // Filling is not what we measure: one transaction per 5,000 rows through the same insert
    // path append() uses, without the per-commit fsync.
    store.db.pragma('synchronous = OFF');
    const variants = await Promise.all(
      WORDS.map((w, i) => makeMessage(blobs, { subject: `Report ${w} ${i}`, text: `Body about ${w} and ${WORDS[(i + 3) % WORDS.length]} with common words`, size: 2000 + i })),
    );
    const [fillMs] = await timed(async () => {
      for (let start = 0; start < count; start += 5000) {
        store.db.transaction(() => {
          const fx = { events: [], freedBlobs: [] };
          const mb = requireMailbox(store.db, Number(inbox.id));
          for (let i = start; i < Math.min(count, start + 5000); i++) {
            insertMessage(store.db, fx, mb, variants[i % variants.length]!, { flags: i % 3 === 0 ? ['\\Seen'] : [], internalDate: Date.now() });
          }
        })();
      }
    });
    store.db.pragma('synchronous = FULL');
    store.db.pragma('wal_checkpoint(TRUNCATE)');

    const [uidsMs, uids] = await timed(() => store.mail.listUids(inbox.id));
    const [flagsMs, n] = await timed(async () => {
      let k = 0;
      for await (const m of store.mail.getMessages(inbox.id, { start: 1, end: Infinity }, { fields: ['flags'] })) k += m.flags.length >= 0 ? 1 : 0;
      return k;
    });
    const [statusMs] = await timed(() => store.mail.getMailboxStatus(inbox.id));
    const [searchMs, hits] = await timed(() => store.mail.searchUids(inbox.id, { type: 'text', field: 'text', value: 'juliet' }));
    const [searchRareMs] = await timed(() => store.mail.searchUids(inbox.id, { type: 'text', field: 'subject', value: 'kilo 10' }));
    const [unseenMs] = await timed(() => store.mail.searchUids(inbox.id, { type: 'flag', flag: '\\Seen', present: false }));
    const [envMs] = await timed(async () => {
      let k = 0;
      for await (const m of store.mail.getMessages(inbox.id, { start: 1, end: 1000 }, { fields: ['envelope', 'bodystructure'] })) k += m.uid > 0 ? 1 : 0;
      return k;
    });
    const probe = variants[0]!;
    const [appendMs] = await timed(async () => {
      for (let i = 0; i < 100; i++) await store.mail.append(user.id, inbox.id, probe);
    });
    const [storeMs] = await timed(() => store.mail.updateFlags(inbox.id, { start: 1, end: Infinity }, { action: 'add', flags: ['\\Flagged'] }));
    return {
      messages: count,
      'fill (bulk, no fsync), ms': fillMs,
      'listUids, ms': uidsMs,
      'listUids count': uids.length,
      'getMessages flags (all), ms': flagsMs,
      'getMessages flags count': n,
      'getMailboxStatus, ms': statusMs,
      'searchUids TEXT common word, ms': searchMs,
      'searchUids hits': hits.length,
      'searchUids SUBJECT phrase, ms': searchRareMs,
      'searchUids UNSEEN, ms': unseenMs,
      'getMessages envelope+bodystructure x1000, ms': envMs,
      'append x100 (fsync each), ms per message': appendMs / 100,
      'updateFlags +\\Flagged all (one commit), ms': storeMs,
    };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const figures = await runStoreFetchBench(Number(process.argv[2]) || 50_000);
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(48)} ${typeof v === 'number' ? v.toFixed(2) : v}`);
}
