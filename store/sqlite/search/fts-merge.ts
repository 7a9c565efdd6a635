import type { SearchIndexMaintenance, SearchIndexMergeReport } from '../../../domain/index.js';
import type { SqliteDb } from '../db.js';

/**
 * When content_fts merges its segments. FTS5 writes each commit's rows as a new segment and, by
 * default (automerge=4), does merge work inside whichever commit crosses a threshold: on a
 * 40k-message store a one-message delivery took under 1 ms at the median but up to ~1 s when it
 * drew a merge (most of that second came from the plan pinFtsDataStats fixes; the rest is merge
 * work). Here commits never merge (automerge=0); merge() below does it in short transactions of
 * its own, run by server/ from a timer.
 *
 * crisismerge is the safety net for when merge() does not run (a CLI import, a store opened by
 * tools only): a level holding that many segments is merged in one go by the commit that fills
 * it, so a query never reads more than (crisismerge - 1) segments per level, about
 * 15 x log16(messages) (~60 at 40k messages, ~75 at a million) where FTS5 fails outright at
 * 2,000. A lower value would merge small levels more often for little gain; a higher one lets
 * queries slow down and makes each crisis merge bigger. 16 is FTS5's own default, written down
 * so that the choice is explicit and survives a change of default.
 */
export const FTS_AUTOMERGE = 0;
export const FTS_CRISISMERGE = 16;

/**
 * Leaf pages (~4 KB each) one merge step writes. FTS5 ends a step only between terms, so a step
 * that reaches a common word copies its whole doclist whatever this says; small keeps the rest
 * of the steps short.
 */
export const MERGE_PAGES_PER_STEP = 64;

/** Guards a run against a merge that never reports "nothing left" (each step is still bounded). */
const DEFAULT_MAX_STEPS = 10_000;

/**
 * Writes the merge settings into content_fts_config unless already there. The settings persist
 * in the table, so this writes only once per database; checking first keeps every later open
 * (server, CLI) read-only here. Not a migration: the values are policy that may be retuned, and
 * re-asserting them at open also repairs a table someone changed by hand.
 */
export function configureFtsMerging(db: SqliteDb): void {
  const current = db.prepare('SELECT v FROM content_fts_config WHERE k = ?').pluck();
  // FTS5 takes these only as SQL integers; better-sqlite3 binds a JS number as a REAL.
  const set = db.prepare('INSERT INTO content_fts(content_fts, rank) VALUES (?, CAST(? AS INTEGER))');
  const wanted: Array<[string, number]> = [
    ['automerge', FTS_AUTOMERGE],
    ['crisismerge', FTS_CRISISMERGE],
  ];
  const missing = wanted.filter(([k, v]) => current.get(k) !== v);
  if (missing.length > 0) db.transaction(() => missing.forEach(([k, v]) => set.run(k, v)))();
}

/** The FTS5 tables' `%_data` tables: content_fts, and message_fts of format-1 rows awaiting their upgrade. */
const FTS_DATA_TABLES = ['content_fts_data', 'message_fts_data'];

/** Rows of `%_data` the planner is told of at least; any figure above ~10 makes it seek by rowid. */
const FTS_DATA_ROWS_FLOOR = 1000;

/**
 * Raises the planner's row count of the FTS5 `%_data` tables to FTS_DATA_ROWS_FLOOR (call after
 * PRAGMA optimize). The optimize at a new database's first open records content_fts_data at its
 * initial 2 rows, and only an open after it grew tenfold records it again, so a process that
 * created its store (a new server, `heron import` into an empty data dir) keeps "2 rows" while
 * the index grows. With that figure the planner runs FTS5's own
 * `DELETE FROM content_fts_data WHERE id>=? AND id<=?`, which removes every merged segment, as a
 * scan of the whole table: at 40k messages (~70 MB of index) each merge took 0.4-1 s whatever its
 * size, which was most of the lumps one-message commits drew. FTS5 reads `%_data` by rowid only,
 * so a figure too high costs nothing. An optimize that finds the table tenfold off the floor
 * analyzes it again (a small table: little work) and this raises it again.
 */
export function pinFtsDataStats(db: SqliteDb): void {
  if (db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'").get() === undefined) return;
  const recorded = db.prepare('SELECT stat FROM sqlite_stat1 WHERE tbl = ? AND idx IS NULL').pluck();
  const low = FTS_DATA_TABLES.filter((t) => {
    const stat = recorded.get(t) as string | undefined;
    return stat !== undefined && Number.parseInt(stat, 10) < FTS_DATA_ROWS_FLOOR;
  });
  if (low.length === 0) return;
  const del = db.prepare('DELETE FROM sqlite_stat1 WHERE tbl = ? AND idx IS NULL');
  const ins = db.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, NULL, ?)');
  db.transaction(() => {
    for (const t of low) {
      del.run(t);
      ins.run(t, String(FTS_DATA_ROWS_FLOOR));
    }
  })();
  // Makes this connection read sqlite_stat1 again (its statements are planned anew).
  db.exec('ANALYZE sqlite_schema');
}

/** One level of the FTS5 b-tree forest: its segments, and how many of them an unfinished merge is reading. */
export interface FtsLevel {
  segments: number;
  merging: number;
}

/** SQLite's varint (1-9 bytes, big-endian, 7 bits a byte, all 8 in the ninth): value and length. */
function varint(buf: Uint8Array, at: number): [number, number] {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const b = buf[at + i] ?? 0;
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) return [v, i + 1];
  }
  return [v * 256 + (buf[at + 8] ?? 0), 9];
}

/**
 * The levels of content_fts, read from its structure record (FTS5's `%_data` row 10: a 4-byte
 * cookie, an optional 4-byte version-2 marker, then varints: levels, segments, write counter,
 * and per level the merge count, the segment count and each segment's fields). For figures and
 * tests: nothing in the store's work depends on it.
 */
export function ftsLevels(db: SqliteDb): FtsLevel[] {
  const block = db.prepare('SELECT block FROM content_fts_data WHERE id = 10').pluck().get() as Uint8Array | undefined;
  if (!block || block.length < 4) return [];
  let at = 4;
  const v2 = block[4] === 0xff && block[5] === 0 && block[6] === 0 && block[7] === 1;
  if (v2) at += 4;
  const next = (): number => {
    const [v, n] = varint(block, at);
    at += n;
    return v;
  };
  const nLevel = next();
  next(); // total segments
  next(); // write counter
  const levels: FtsLevel[] = [];
  for (let l = 0; l < nLevel; l++) {
    const merging = next();
    const segments = next();
    // segid, first page, last page; version 2 adds two origins and three tombstone counts.
    for (let s = 0; s < segments * (v2 ? 8 : 3); s++) next();
    levels.push({ segments, merging });
  }
  return levels;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The store's SearchIndexMaintenance: 'merge' commands of MERGE_PAGES_PER_STEP pages, each its
 * own autocommit transaction. A step that merged something changes more than the one row the
 * command itself counts (FTS5's documented test: total_changes() grows by 2 or more). Steps run
 * with synchronous=NORMAL: a merge needs no fsync of its own, since reorganising the index loses
 * nothing if it is lost, and the next acknowledged write's WAL sync (wal-sync.ts) covers its
 * frames anyway. Between runs, PRAGMA data_version (commits by other connections) and
 * total_changes() (this one's) tell whether anything was written at all.
 */
export function createFtsMaintenance(db: SqliteDb): SearchIndexMaintenance {
  const mergeSql = db.prepare("INSERT INTO content_fts(content_fts, rank) VALUES ('merge', CAST(? AS INTEGER))");
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  const dataVersion = () => db.pragma('data_version', { simple: true }) as number;
  let settled: { data: number; changes: number } | null = null;

  function step(): boolean {
    const level = db.pragma('synchronous', { simple: true }) as number;
    if (level !== 0) db.pragma('synchronous = NORMAL');
    try {
      const before = totalChanges.get() as number;
      mergeSql.run(MERGE_PAGES_PER_STEP);
      return (totalChanges.get() as number) - before >= 2;
    } finally {
      if (level !== 0) db.pragma(`synchronous = ${level}`);
    }
  }

  return {
    async merge(opts = {}): Promise<SearchIndexMergeReport> {
      const report: SearchIndexMergeReport = { steps: 0, done: false, longestStepMs: 0 };
      if (!db.open) return report;
      if (settled && settled.data === dataVersion() && settled.changes === totalChanges.get()) {
        report.done = true;
        return report;
      }
      const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
      while (report.steps < maxSteps) {
        // The store may close, or the server stop, while this run waits its turn.
        if (opts.signal?.aborted || !db.open) return report;
        const t0 = performance.now();
        const merged = step();
        report.longestStepMs = Math.max(report.longestStepMs, performance.now() - t0);
        if (!merged) {
          report.done = true;
          settled = { data: dataVersion(), changes: totalChanges.get() as number };
          return report;
        }
        report.steps++;
        await yieldToEventLoop();
      }
      return report;
    },
  };
}
