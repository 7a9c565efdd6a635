import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ConnectionGate, ConnectionTicket } from '../../domain/index.js';

/**
 * Sums every live node's open connections for (listener, ip) and takes one more for this node
 * only if the sum is under the limit: atomic, in Redis's own time. A node's counts live in a
 * hash of its own whose expiry its heartbeat refreshes, and nodes are listed with their last
 * heartbeat, so a crashed node's connections stop counting within HEARTBEAT_TTL.
 */
const ACQUIRE = `
local nodes = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')
local total = 0
for _, node in ipairs(nodes) do
  total = total + tonumber(redis.call('HGET', ARGV[5] .. node, ARGV[2]) or '0')
end
if total >= tonumber(ARGV[3]) then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1`;

const RELEASE = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return n`;

const HEARTBEAT_MS = 10_000;
const HEARTBEAT_TTL_S = 30;

export interface SharedConnectionGate extends ConnectionGate {
  close(): Promise<void>;
}

/**
 * Per-IP connection caps across the cluster (issue 10): the process's own gate (limits/) still
 * counts and caps this node's sockets and keeps its metrics; on top, Redis refuses a connection
 * when all nodes together already hold the limit. If Redis cannot be reached the node's own cap
 * stands in (an outage must not refuse every client).
 */
export function createSharedConnectionGate(opts: {
  local: ConnectionGate;
  redis: Redis;
  limitOf: (listener: string) => number;
  prefix: string;
  logger?: Logger;
}): SharedConnectionGate {
  const node = randomBytes(8).toString('hex');
  const nodes = `${opts.prefix}:conn:nodes`;
  const nodePrefix = `${opts.prefix}:conn:node:`;
  const mine = nodePrefix + node;
  const beat = async () => {
    const [sec] = await opts.redis.time();
    await opts.redis.zadd(nodes, Number(sec), node);
    await opts.redis.expire(mine, HEARTBEAT_TTL_S);
    // Forget nodes silent for long; their own hashes expire by themselves.
    await opts.redis.zremrangebyscore(nodes, '-inf', Number(sec) - 3600);
  };
  let ready = beat().catch((err: unknown) => opts.logger?.warn({ err }, 'connection counts: redis heartbeat failed'));
  const timer = setInterval(() => {
    ready = beat().catch((err: unknown) => opts.logger?.warn({ err }, 'connection counts: redis heartbeat failed'));
  }, HEARTBEAT_MS);
  timer.unref();

  return {
    async acquire(listener, ip) {
      const ticket = await opts.local.acquire(listener, ip);
      const max = opts.limitOf(listener);
      if (!ticket || max <= 0) return ticket;
      const field = `${listener}\0${ip}`;
      let shared = false;
      try {
        await ready;
        const [sec] = await opts.redis.time();
        const ok = (await opts.redis.eval(ACQUIRE, 2, nodes, mine, Number(sec) - HEARTBEAT_TTL_S, field, max, HEARTBEAT_TTL_S, nodePrefix)) as number;
        if (ok !== 1) {
          ticket.release();
          return null;
        }
        shared = true;
      } catch (err) {
        opts.logger?.warn({ err: (err as Error).message }, 'connection counts: redis unavailable; this node\'s cap only');
      }
      let released = false;
      const wrapped: ConnectionTicket = {
        release() {
          if (released) return;
          released = true;
          ticket.release();
          if (shared) opts.redis.eval(RELEASE, 1, mine, field).catch(() => undefined);
        },
      };
      return wrapped;
    },
    async close() {
      clearInterval(timer);
      await opts.redis.del(mine).catch(() => undefined);
      await opts.redis.zrem(nodes, node).catch(() => undefined);
    },
  };
}
