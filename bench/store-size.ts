/**
 * Bytes on disk per byte of mail received (issue 11: at most 1.15x) and store ingest speed, on
 * realistic mail (bench/mail-corpus.ts) parsed by mail/mime: plain and multipart/alternative
 * messages with DKIM/ARC-style headers, newsletters, some with attachments. Also the DEFLATE
 * level measurement behind store/sqlite/content-codec.ts (DEFLATE_LEVEL): size and time per level
 * on the inline bytes of the same messages. Measures only; never asserts.
 * Run alone: `node --import tsx bench/store-size.ts [count]`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { PreparedMessage } from '../domain/index.js';
import { prepareMessage } from '../mail/mime/index.js';
import { HEADER_DICTIONARY } from '../store/sqlite/header-dictionary.js';
import { makeMail, vocabulary } from './mail-corpus.js';
import { createBenchUser, openTempStore } from './bench-store.js';

/** Bytes allocated on disk (st_blocks), as `du` counts them. */
function diskBytes(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.blocks * 512;
  let n = 0;
  for (const e of fs.readdirSync(p)) n += diskBytes(path.join(p, e));
  return n;
}

function levels(prepared: PreparedMessage[]): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  let raw = 0;
  const heads: Buffer[] = [];
  const bodies: Buffer[] = [];
  for (const m of prepared) {
    const inline = Buffer.concat(m.content.filter((s): s is { data: Buffer } => 'data' in s).map((s) => s.data));
    heads.push(inline.subarray(0, m.structure.bodyStart));
    bodies.push(inline.subarray(m.structure.bodyStart));
    raw += inline.length;
  }
  for (const level of [1, 3, 6, 9]) {
    let bytes = 0;
    const t0 = performance.now();
    for (let i = 0; i < heads.length; i++) {
      bytes += deflateRawSync(heads[i]!, { level, dictionary: HEADER_DICTIONARY }).length;
      bytes += deflateRawSync(bodies[i]!, { level }).length;
    }
    const ms = performance.now() - t0;
    out[`deflate level ${level}: inline bytes kept, %`] = (100 * bytes) / raw;
    out[`deflate level ${level}: us per message`] = (1000 * ms) / heads.length;
  }
  let plainHeads = 0;
  let dictHeads = 0;
  for (const h of heads) {
    plainHeads += deflateRawSync(h, { level: 6 }).length;
    dictHeads += deflateRawSync(h, { level: 6, dictionary: HEADER_DICTIONARY }).length;
  }
  out['header blocks: deflate alone, % of raw'] = (100 * plainHeads) / heads.reduce((n, h) => n + h.length, 0);
  out['header blocks: deflate + dictionary, % of raw'] = (100 * dictHeads) / heads.reduce((n, h) => n + h.length, 0);
  return out;
}

export async function runStoreSizeBench(count = 5_000): Promise<Record<string, number | string>> {
  const temp = await openTempStore('heron-bench-size-', { searchText: true });
  const { dir, blobs, store } = temp;
  try {
    const user = await createBenchUser(store.users, 'bench');
    const inbox = (await store.mail.getMailbox(user.id, 'INBOX'))!;
    const v = vocabulary();
    const raws = Array.from({ length: count }, (_, i) => makeMail(v, i).raw);
    const received = raws.reduce((n, r) => n + r.length, 0);
    const t0 = performance.now();
    const prepared: PreparedMessage[] = [];
    for (const raw of raws) prepared.push(await prepareMessage(raw, blobs));
    const prepareMs = performance.now() - t0;
    // Ingest as the MX does under load: many deliveries in flight, committed in groups (fsync on).
    const t1 = performance.now();
    const inFlight = 64;
    for (let i = 0; i < prepared.length; i += inFlight) {
      await Promise.all(prepared.slice(i, i + inFlight).map((m) => store.mail.deliver(m, [{ userId: user.id, mailbox: { mailboxId: inbox.id } }])));
    }
    const storeMs = performance.now() - t1;
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const dbBytes = diskBytes(path.join(dir, 'heron.sqlite'));
    const blobBytes = fs.existsSync(path.join(dir, 'blobs')) ? diskBytes(path.join(dir, 'blobs')) : 0;
    const tables = store.db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 6').all() as Array<{ name: string; bytes: number }>;
    const withAttachment = prepared.filter((m) => m.blobIds.length > 0).length;
    const figures: Record<string, number | string> = {
      messages: count,
      'mail received, bytes per message': received / count,
      'messages with a blob (attachment)': withAttachment,
      'prepare (mail/mime), msgs/s': count / (prepareMs / 1000),
      'store ingest, 64 in flight (group commit, fsync), msgs/s': count / (storeMs / 1000),
      'disk: database, bytes per byte received': dbBytes / received,
      'disk: blobs, bytes per byte received': blobBytes / received,
      'disk: total, bytes per byte received': (dbBytes + blobBytes) / received,
    };
    for (const t of tables) figures[`database: ${t.name}, bytes per message`] = t.bytes / count;
    return { ...figures, ...levels(prepared.slice(0, 2000)) };
  } finally {
    await temp.remove();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const figures = await runStoreSizeBench(Number(process.argv[2]) || 5_000);
  for (const [k, val] of Object.entries(figures)) console.log(`  ${k.padEnd(60)} ${typeof val === 'number' ? val.toFixed(2) : val}`);
}
