/**
 * One-message commits (an MX delivery, an IMAP APPEND) on a SQLite store of N messages
 * (default 40,000; HERON_BENCH_FTS_MESSAGES), C of them one after the other (default 1,000;
 * HERON_BENCH_FTS_COMMITS), in four settings of content_fts on copies of one fill:
 * - before: Heron until 2026-12-05 in a process that created the store and kept running: FTS5's
 *   automerge=4 merging inside whichever commit crosses its threshold, and the planner statistics
 *   the first open recorded (content_fts_data at 2 rows: each merged segment's removal scans the
 *   whole table, see pinFtsDataStats);
 * - before, fresh stats: the same with the statistics Heron now sets (or after a restart);
 * - after: automerge=0, those statistics, and the background merger of server/ (every second here,
 *   5 s in the server);
 * - crisis only: the same without the merger, the safety net alone (crisismerge, fts-merge.ts).
 * Commits run with synchronous=OFF, so the figures are the commit's own work and not the disk's
 * fsync (the same for all three). Prints median/mean/p99/max, the merger's longest step (how long
 * it held the event loop), segments left and a search's time. Measures only; never asserts.
 * Run alone: `node --import tsx bench/fts-commit.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PreparedMessage } from '../domain/index.js';
import { makeMessage } from '../test/store/fixtures.js';
import { rng } from '../test/helpers/rng.js';
import { prose, vocabulary } from './mail-corpus.js';
import { createBenchUser, fillWithProse, openTempStore, type TempStore } from './bench-store.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { ftsLevels } from '../store/sqlite/search/fts-merge.js';
import { startSearchIndexMerger } from '../server/search-index-merger.js';

type Mode = 'before' | 'before, fresh stats' | 'after' | 'crisis only';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function fill(temp: TempStore, count: number): Promise<void> {
  const { store, blobs } = temp;
  const user = await createBenchUser(store.users, 'bench');
  const inbox = (await store.mail.getMailbox(user.id, 'INBOX'))!;
  // The index a store written before the change has: FTS5's own merging, group commits of 256.
  store.db.prepare("INSERT INTO content_fts(content_fts, rank) VALUES ('automerge', 4)").run();
  store.db.pragma('synchronous = OFF');
  await fillWithProse(store, blobs, { userId: user.id, mailboxId: inbox.id }, count);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
}

async function run(source: string, mode: Mode, probes: PreparedMessage[]): Promise<Record<string, number | string>> {
  const dir = `${source}-${mode.replace(/\W+/g, '-')}`;
  fs.cpSync(source, dir, { recursive: true });
  const store = await openSqliteStore({ path: path.join(dir, 'heron.sqlite'), blobs: createFsBlobStore(path.join(dir, 'blobs')), notifier: createMemoryNotifier() });
  const out: Record<string, number | string> = {};
  try {
    const user = (await store.users.findUserByLogin('bench@bench.test'))!;
    const inbox = (await store.mail.getMailbox(user.id, 'INBOX'))!;
    if (mode.startsWith('before')) store.db.prepare("INSERT INTO content_fts(content_fts, rank) VALUES ('automerge', 4)").run();
    if (mode === 'before') store.db.exec("UPDATE sqlite_stat1 SET stat = '2' WHERE tbl = 'content_fts_data'; ANALYZE sqlite_schema");
    if (mode === 'after') {
      // What the first timer tick after an upgrade does: catch up with the fill's segments.
      const t0 = performance.now();
      const r = await store.searchIndex.merge({ maxSteps: Infinity });
      out[`${mode}: first merge (catch-up), s`] = (performance.now() - t0) / 1000;
      out[`${mode}: first merge, steps`] = r.steps;
      out[`${mode}: first merge, longest step ms`] = r.longestStepMs;
    }
    out[`${mode}: segments per level at start`] = ftsLevels(store.db).map((l) => l.segments).join(' ');
    store.db.pragma('synchronous = OFF');
    const steps: number[] = [];
    const merger =
      mode === 'after'
        ? startSearchIndexMerger({ merge: async (o) => store.searchIndex.merge(o).then((r) => (steps.push(r.longestStepMs), r)) }, { intervalMs: 1000 })
        : null;
    const times: number[] = [];
    try {
      for (const m of probes) {
        const t0 = performance.now();
        await store.mail.append(user.id, inbox.id, m);
        times.push(performance.now() - t0);
      }
    } finally {
      await merger?.stop();
    }
    const sorted = [...times].sort((a, b) => a - b);
    out[`${mode}: commit median, ms`] = quantile(sorted, 0.5);
    out[`${mode}: commit mean, ms`] = times.reduce((a, b) => a + b, 0) / times.length;
    out[`${mode}: commit p99, ms`] = quantile(sorted, 0.99);
    out[`${mode}: commit max, ms`] = sorted[sorted.length - 1] ?? 0;
    out[`${mode}: commits over 50 ms`] = times.filter((t) => t > 50).length;
    if (merger) out[`${mode}: merger longest step, ms`] = Math.max(0, ...steps);
    out[`${mode}: segments per level at end`] = ftsLevels(store.db).map((l) => l.segments).join(' ');
    // Queries read every segment: what a merger that falls behind costs (best of 3).
    const v = vocabulary();
    for (const [label, word] of [['common', 'meeting'], ['rare', v.words[v.words.length - 5_000]!]] as const) {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await store.mail.searchUids(inbox.id, { type: 'text', field: 'body', value: word, match: 'words' });
        best = Math.min(best, performance.now() - t0);
      }
      out[`${mode}: search a ${label} word, ms`] = best;
    }
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export async function runFtsCommitBench(
  count = Number(process.env.HERON_BENCH_FTS_MESSAGES ?? 40_000),
  commits = Number(process.env.HERON_BENCH_FTS_COMMITS ?? 1_000),
): Promise<Record<string, number | string>> {
  const temp = await openTempStore('heron-bench-fts-');
  try {
    const t0 = performance.now();
    await fill(temp, count);
    const figures: Record<string, number | string> = { date: new Date().toISOString(), messages: count, commits, 'fill, s': (performance.now() - t0) / 1000 };
    await temp.store.close();
    const v = vocabulary();
    const probes: PreparedMessage[] = [];
    for (let i = 0; i < commits; i++) {
      const r = rng(count + i);
      probes.push(await makeMessage(temp.blobs, { subject: prose(v, r, 50).split('.')[0]!, text: prose(v, r, 2000), messageId: `<p${i}@bench.test>` }));
    }
    for (const mode of ['before', 'before, fresh stats', 'after', 'crisis only'] as const) Object.assign(figures, await run(temp.dir, mode, probes));
    return figures;
  } finally {
    await temp.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await runFtsCommitBench();
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(48)} ${typeof v === 'number' ? v.toFixed(2) : v}`);
}
