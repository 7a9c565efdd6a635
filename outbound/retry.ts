/**
 * When to try again after the `attempts`-th temporary failure: the schedule's entry for that
 * attempt, the last entry repeating. Null once that would pass the expiry (RFC 5321 4.5.4.1
 * suggests giving up after 4-5 days), which turns the entry into a bounce.
 */
export function nextAttempt(opts: { attempts: number; schedule: readonly number[]; createdAt: Date; expiryMs: number; now: Date }): Date | null {
  const schedule = opts.schedule.length ? opts.schedule : [300_000];
  const delay = schedule[Math.min(Math.max(opts.attempts - 1, 0), schedule.length - 1)]!;
  const expires = opts.createdAt.getTime() + opts.expiryMs;
  if (opts.now.getTime() >= expires) return null;
  // The last try happens at the expiry itself rather than never.
  return new Date(Math.min(opts.now.getTime() + delay, expires));
}
