import type { PlannerStatsReport } from '../../domain/index.js';
import type { SqliteDb } from './db.js';
import { pinFtsDataStats } from './search/fts-merge.js';

/** SQLite's advice for long-lived connections: PRAGMA optimize again about once an hour. */
export const STATS_REFRESH_MS = 3_600_000;

/**
 * Rows this handle has written (total_changes()) before growth alone makes a refresh due. Past
 * it, a refresh is due each time the count has doubled since the last one: a store filling up
 * (a new server, `heron import`) gets its statistics early and a few times over, not every tick.
 */
export const STATS_GROWTH_FLOOR = 20_000;

/**
 * Statistics for the query planner: PRAGMA optimize re-analyzes every table whose row count has
 * changed tenfold since it was last analyzed (0x10000: all tables, not only those this handle
 * has queried yet), each with SQLite's bounded sample (analysis_limit), then the FTS5 figure is
 * raised again (search/fts-merge.ts). Without it a table analyzed while tiny keeps its "few rows"
 * for the life of the process, and a thread or EMAILID lookup may walk a user's whole date index.
 */
export function refreshPlannerStats(db: SqliteDb): void {
  db.pragma('optimize = 0x10002');
  pinFtsDataStats(db);
}

/**
 * refreshPlannerStats when due (Store.searchIndex.refreshStatistics, called from server/'s
 * timer): at most hourly and only if something was written meanwhile (by this handle or
 * another process), or sooner after growth (STATS_GROWTH_FLOOR). Not due costs two reads.
 */
export function createPlannerStatsRefresher(
  db: SqliteDb,
  opts: { now?: () => number; intervalMs?: number; growthFloor?: number } = {},
): () => Promise<PlannerStatsReport> {
  const now = opts.now ?? Date.now;
  const intervalMs = opts.intervalMs ?? STATS_REFRESH_MS;
  const growthFloor = opts.growthFloor ?? STATS_GROWTH_FLOOR;
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  const dataVersion = () => db.pragma('data_version', { simple: true }) as number;
  // The store ran one at open.
  let last = { at: now(), changes: totalChanges.get() as number, data: dataVersion() };

  return async () => {
    if (!db.open) return { ran: false, ms: 0 };
    const changes = totalChanges.get() as number;
    const written = changes - last.changes;
    const data = dataVersion();
    const hourly = now() - last.at >= intervalMs && (written > 0 || data !== last.data);
    const grown = written >= growthFloor && written >= last.changes;
    if (!hourly && !grown) return { ran: false, ms: 0 };
    const t0 = performance.now();
    refreshPlannerStats(db);
    last = { at: now(), changes: totalChanges.get() as number, data: dataVersion() };
    return { ran: true, ms: performance.now() - t0 };
  };
}
