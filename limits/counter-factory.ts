import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { CounterFactory, CounterSpec, CounterState, RateCounter } from '../domain/index.js';

export interface CounterFactoryOptions {
  /** Shared ioredis client: every node then sees the same counts. Unset: in this process only. */
  redis?: Redis | null;
  /** Key prefix, so deployments (or test runs) sharing one Redis keep separate counts. */
  namespace?: string;
}

/**
 * Every security counter (login failures, second-factor failures, SMS spend, registrations) is
 * made here, on rate-limiter-flexible. With Redis an in-memory insurance limiter keeps limits
 * working per node while Redis is unreachable, rather than failing open or failing every login.
 */
export function createCounterFactory(opts: CounterFactoryOptions = {}): CounterFactory {
  const ns = opts.namespace ?? 'heron';
  return {
    counter(name: string, spec: CounterSpec): RateCounter {
      const base = { keyPrefix: `${ns}-c-${name}`, points: spec.points, duration: spec.durationSec, blockDuration: spec.blockDurationSec ?? 0 };
      const memory = new RateLimiterMemory(base);
      const limiter: RateLimiterAbstract = opts.redis
        ? new RateLimiterRedis({ ...base, storeClient: opts.redis, insuranceLimiter: memory, rejectIfRedisNotReady: true })
        : memory;
      return wrapCounter(limiter, spec);
    },
  };
}

function stateOf(res: RateLimiterRes | null, spec: CounterSpec): CounterState {
  if (!res) return { count: 0, over: false, retryAfterMs: 0 };
  const over = res.consumedPoints > spec.points;
  return { count: res.consumedPoints, over, retryAfterMs: Math.max(0, res.msBeforeNext) };
}

function wrapCounter(limiter: RateLimiterAbstract, spec: CounterSpec): RateCounter {
  return {
    async hit(key, points = 1) {
      try {
        return stateOf(await limiter.consume(key, points), spec);
      } catch (res) {
        if (res instanceof RateLimiterRes) return stateOf(res, spec);
        throw res;
      }
    },
    async peek(key) {
      return stateOf(await limiter.get(key), spec);
    },
    async block(key, seconds) {
      await limiter.block(key, seconds);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
