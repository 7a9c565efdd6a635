import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from 'pino';
import { ApiError } from './api-error.js';

export interface LimitSpec {
  points: number;
  durationSec: number;
  /** Once exhausted, the key stays refused this long (0: until the window ends). */
  blockDurationSec?: number;
}

export interface Limiter {
  /** Counts one hit; 429 `rate_limited` (or `code`) with Retry-After once over the limit. */
  consume(key: string, code?: string): Promise<void>;
  /** Refuses (429) without counting if the key is already over the limit. */
  check(key: string, code?: string): Promise<void>;
  reset(key: string): Promise<void>;
}

export interface LimiterFactory {
  create(name: string, spec: LimitSpec): Limiter;
  /** Resolves once Redis is connected (at once in memory); until then limits are per node. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Rate limiters in memory, or in Redis when a URL is given so every node shares the counts.
 * With Redis, an in-memory limiter insures against Redis being down: limits keep working per node.
 */
export function createLimiterFactory(opts: { redisUrl?: string; logger: Logger; namespace?: string }): LimiterFactory {
  const redis = opts.redisUrl ? new Redis(opts.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false }) : null;
  redis?.on('error', (err: Error) => opts.logger.warn({ err: err.message }, 'rate-limit redis error'));
  return {
    create(name, spec) {
      const base = { keyPrefix: `${opts.namespace ?? 'heron'}-rl-${name}`, points: spec.points, duration: spec.durationSec, blockDuration: spec.blockDurationSec ?? 0 };
      const memory = new RateLimiterMemory(base);
      const limiter: RateLimiterAbstract = redis
        ? new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: memory, rejectIfRedisNotReady: true })
        : memory;
      return wrap(limiter, spec);
    },
    async ready() {
      if (!redis || redis.status === 'ready') return;
      await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
    },
    async close() {
      if (redis) redis.disconnect();
    },
  };
}

function refused(res: RateLimiterRes, code: string): ApiError {
  const retry = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new ApiError(429, code, 'too many requests, try again later', { headers: { 'Retry-After': String(retry) } });
}

function wrap(limiter: RateLimiterAbstract, spec: LimitSpec): Limiter {
  return {
    async consume(key, code = 'rate_limited') {
      try {
        await limiter.consume(key);
      } catch (res) {
        if (res instanceof RateLimiterRes) throw refused(res, code);
        throw res;
      }
    },
    async check(key, code = 'rate_limited') {
      const res = await limiter.get(key);
      if (res && res.consumedPoints >= spec.points && res.msBeforeNext > 0) throw refused(res, code);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
