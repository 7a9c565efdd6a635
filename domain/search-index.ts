/**
 * Upkeep of a backend's full-text index that runs beside client traffic, not inside it. SQLite's
 * FTS5 adds one index segment per commit and merges segments as queries would otherwise slow
 * down; merging inside the committing transaction made single deliveries wait up to a second, so
 * server/ calls merge() from a timer instead. Backends whose index keeps itself (MongoDB) have
 * none (Store.searchIndex is absent).
 */
export interface SearchIndexMaintenance {
  /**
   * Merges index segments in short transactions, yielding to the event loop between them, until
   * nothing is left to merge, `signal` aborts, or `maxSteps` steps ran (then `done` is false and
   * the next call goes on). Returns at once when nothing was written since the last call that
   * finished its work.
   */
  merge(opts?: { signal?: AbortSignal; maxSteps?: number }): Promise<SearchIndexMergeReport>;
  /**
   * Refreshes the query planner's statistics if they may have gone stale (SQLite: tables
   * analyzed while small keep their figures for the life of a process), at most about hourly or
   * after much growth; returns at once when not due. Called from the same timer as merge().
   */
  refreshStatistics?(): Promise<PlannerStatsReport>;
}

export interface PlannerStatsReport {
  /** False when nothing was due. */
  ran: boolean;
  /** How long the refresh held the event loop, milliseconds. */
  ms: number;
}

export interface SearchIndexMergeReport {
  /** Transactions that merged something. */
  steps: number;
  /** True when no merge work is left. */
  done: boolean;
  /** Longest step, milliseconds (how long the event loop was held at once). */
  longestStepMs: number;
}
