import type { CounterFactory, RateCounter } from '../domain/index.js';
import type { ThrottleSettings } from './settings.js';

export type ThrottleState = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface FailureThrottle {
  /** Whether `key` may try now (not waiting out a delay or a lock). */
  check(key: string): Promise<ThrottleState>;
  /** Records a failure; `locked` is true when this one started the lock. */
  failed(key: string): Promise<{ failures: number; locked: boolean; lockedUntil: Date | null }>;
  succeeded(key: string): Promise<void>;
}

/**
 * Failures per key with growing delays and then a temporary lock: after `free` failures each
 * further one makes the key wait 1 s, 2 s, 4 s ... (capped), and `lockAfter` failures within the
 * window lock it for `lockSec`. While a key waits nothing is checked, so guesses cannot go faster
 * than the delays allow however many connections an attacker opens.
 */
export function createFailureThrottle(counters: CounterFactory, name: string, s: ThrottleSettings, now: () => number = Date.now): FailureThrottle {
  const failures: RateCounter = counters.counter(`${name}-fail`, { points: s.lockAfter, durationSec: s.windowSec });
  // points 0 would make every hit "over"; the wait key is only ever blocked, never hit.
  const wait: RateCounter = counters.counter(`${name}-wait`, { points: 1, durationSec: 1 });
  return {
    async check(key) {
      const w = await wait.peek(key);
      return w.over && w.retryAfterMs > 0 ? { allowed: false, retryAfterMs: w.retryAfterMs } : { allowed: true };
    },
    async failed(key) {
      const f = await failures.hit(key);
      if (f.count >= s.lockAfter) {
        // Each failure past the threshold (within the window) locks again; only the first is news.
        await wait.block(key, s.lockSec);
        return { failures: f.count, locked: f.count === s.lockAfter, lockedUntil: new Date(now() + s.lockSec * 1000) };
      }
      if (f.count > s.free) {
        const delay = Math.min(2 ** (f.count - s.free - 1), s.maxDelaySec);
        await wait.block(key, Math.max(1, Math.round(delay)));
      }
      return { failures: f.count, locked: false, lockedUntil: null };
    },
    async succeeded(key) {
      await failures.reset(key);
    },
  };
}
