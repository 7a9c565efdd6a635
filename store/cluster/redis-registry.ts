import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ServiceInstance, ServiceRegistry } from '../../domain/index.js';
import { closeRedis } from './redis-close.js';

/** Entries silent this long are deleted by readers (a node that crashed long ago). */
const FORGET_AFTER_MS = 24 * 3_600_000;

/**
 * The service registry in Redis: one hash field per instance (`<prefix>instances`), its JSON
 * rewritten by every heartbeat with Redis's own clock as lastHeartbeat (so node clocks need not
 * agree), and a pub/sub channel that announces joins and leaves at once.
 */
export function createRedisRegistry(opts: { url: string; logger?: Logger; prefix?: string }): ServiceRegistry {
  const prefix = opts.prefix ?? 'heron:registry:';
  const key = `${prefix}instances`;
  const channel = `${prefix}changes`;
  const redis = new Redis(opts.url, { maxRetriesPerRequest: 2 });
  let sub: Redis | null = null;
  redis.on('error', (err: Error) => opts.logger?.warn({ err: err.message }, 'registry: redis error'));
  const watchers = new Set<() => void>();
  const known = new Set<string>();

  async function redisNow(): Promise<number> {
    const [sec, micro] = await redis.time();
    return Number(sec) * 1000 + Math.floor(Number(micro) / 1000);
  }

  return {
    async heartbeat(instance) {
      const entry: ServiceInstance = { ...instance, lastHeartbeat: await redisNow() };
      await redis.hset(key, instance.id, JSON.stringify(entry));
      if (!known.has(instance.id)) {
        known.add(instance.id);
        await redis.publish(channel, JSON.stringify({ joined: instance.id }));
      }
    },
    async remove(id) {
      known.delete(id);
      await redis.hdel(key, id);
      await redis.publish(channel, JSON.stringify({ left: id }));
    },
    async list() {
      const [all, now] = await Promise.all([redis.hgetall(key), redisNow()]);
      const out: ServiceInstance[] = [];
      for (const [id, json] of Object.entries(all)) {
        let entry: ServiceInstance;
        try {
          entry = JSON.parse(json) as ServiceInstance;
        } catch {
          continue;
        }
        if (now - entry.lastHeartbeat > FORGET_AFTER_MS) {
          await redis.hdel(key, id);
          continue;
        }
        // Ages are compared with the caller's clock: shift Redis time onto it.
        out.push({ ...entry, lastHeartbeat: entry.lastHeartbeat + (Date.now() - now) });
      }
      return out.sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
    },
    watch(listener) {
      if (!sub) {
        sub = new Redis(opts.url);
        sub.on('error', (err: Error) => opts.logger?.warn({ err: err.message }, 'registry: redis error'));
        sub.on('message', (ch: string) => {
          if (ch === channel) watchers.forEach((w) => w());
        });
        sub.subscribe(channel).catch((err: unknown) => opts.logger?.warn({ err }, 'registry: subscribe failed'));
      }
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
    async close() {
      watchers.clear();
      await Promise.all((sub ? [redis, sub] : [redis]).map((c) => closeRedis(c)));
    },
  };
}
