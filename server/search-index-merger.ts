import type { Logger } from 'pino';
import type { SearchIndexMaintenance } from '../domain/index.js';

/** Often enough that a burst of deliveries leaves few segments for the next searches to read. */
const DEFAULT_INTERVAL_MS = 5_000;

export interface SearchIndexMerger {
  /** Clears the timer and waits for a run in progress to stop (before the store closes). */
  stop(): Promise<void>;
}

/**
 * Runs the backend's full-text merge, then its planner-statistics refresh (when due), every
 * `intervalMs` (timer unref'd: it never keeps the process alive), one run at a time. A run
 * returns at once when nothing was written since the last one; otherwise it merges in short
 * steps that yield to IMAP/SMTP between them, so the merging happens in the gaps between
 * requests rather than inside a client's commit.
 */
export function startSearchIndexMerger(index: SearchIndexMaintenance, opts: { logger?: Logger; intervalMs?: number } = {}): SearchIndexMerger {
  const abort = new AbortController();
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    const t0 = performance.now();
    running = index
      .merge({ signal: abort.signal })
      .then(async (r) => {
        if (r.steps > 0) opts.logger?.debug({ steps: r.steps, done: r.done, longestStepMs: Math.round(r.longestStepMs), ms: Math.round(performance.now() - t0) }, 'search index merged');
        // After the merge: the statistics then describe the index as queries will find it.
        if (abort.signal.aborted || !index.refreshStatistics) return;
        const stats = await index.refreshStatistics();
        if (stats.ran) opts.logger?.debug({ ms: Math.round(stats.ms) }, 'planner statistics refreshed');
      })
      .catch((err: unknown) => opts.logger?.error({ err }, 'search index merge failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, opts.intervalMs ?? DEFAULT_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      abort.abort();
      await running;
    },
  };
}
