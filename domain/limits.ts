/**
 * Counters and connection caps shared by every listener and by the login policy. The
 * implementation (limits/) sits on rate-limiter-flexible; with a Redis client every node shares
 * the counts.
 */
export interface CounterSpec {
  /** Hits allowed within the window. */
  points: number;
  durationSec: number;
  /** Once over, the key stays over this long (0: until the window ends). */
  blockDurationSec?: number;
}

export interface CounterState {
  /** Hits counted in the current window. */
  count: number;
  /** True once `count` passed the spec's points, or the key was blocked. */
  over: boolean;
  /** Until the window (or the block) ends; 0 when nothing is counted. */
  retryAfterMs: number;
}

export interface RateCounter {
  /** Counts `points` (default 1) and returns the state after; never throws for being over. */
  hit(key: string, points?: number): Promise<CounterState>;
  /** The state without counting. */
  peek(key: string): Promise<CounterState>;
  /** Puts the key over its limit for `seconds`. */
  block(key: string, seconds: number): Promise<void>;
  reset(key: string): Promise<void>;
}

export interface CounterFactory {
  counter(name: string, spec: CounterSpec): RateCounter;
}

/** One open connection counted against its client address; `release` may be called more than once. */
export interface ConnectionTicket {
  release(): void;
}

/**
 * Concurrent connections per client IP, per listener (MX, submission, IMAP, HTTP). Async so a
 * cluster-wide implementation (counts in Redis) can sit behind the same port.
 */
export interface ConnectionGate {
  /** Null when `ip` already holds the listener's maximum (the connection is then not counted). */
  acquire(listener: string, ip: string): Promise<ConnectionTicket | null>;
}
