import type { Logger } from 'pino';
import type { BlobSweep } from '../domain/index.js';

/** Runs a backend's blob sweep every `intervalMs` (timer unref'd: it never keeps the process alive); one run at a time. */
export function startBlobSweeper(sweep: BlobSweep, opts: { logger?: Logger; intervalMs?: number; graceMs?: number } = {}): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep
      .sweep(opts.graceMs !== undefined ? { graceMs: opts.graceMs } : {})
      .catch((err: unknown) => opts.logger?.error({ err }, 'blob sweep failed'))
      .finally(() => {
        running = false;
      });
  }, opts.intervalMs ?? 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
