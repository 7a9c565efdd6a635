import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { ApiError } from './api-error.js';
import type { LimiterFactory } from './rate-limit.js';

export interface BlacklistOptions {
  /** Limit hits within `windowSec` that put an IP on the blacklist. */
  strikes: number;
  windowSec: number;
  /** How long a blacklisted IP is refused outright. */
  blockSec: number;
}

export interface Blacklist {
  /** Records that the IP hit a rate limit. */
  strike(ip: string): Promise<void>;
  middleware(): Middleware;
}

/** Blocks an IP for a while once it keeps hitting rate limits (429 `ip_blocked` with Retry-After). */
export function createBlacklist(factory: LimiterFactory, opts: BlacklistOptions, logger: Logger): Blacklist {
  const strikes = factory.create('blacklist', { points: opts.strikes, durationSec: opts.windowSec, blockDurationSec: opts.blockSec });
  return {
    async strike(ip) {
      try {
        await strikes.consume(ip, 'ip_blocked');
      } catch (err) {
        if (err instanceof ApiError) logger.warn({ ip }, 'ip blacklisted');
        else throw err;
      }
    },
    middleware() {
      return async (ctx, next) => {
        await strikes.check(ctx.ip, 'ip_blocked');
        await next();
      };
    },
  };
}
