import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ClusterBus, ClusterEvent } from '../../domain/index.js';
import { closeRedis, withTimeout } from './redis-close.js';

const TYPES = new Set(['token-revoked', 'user-tokens-revoked', 'domains', 'dkim', 'secret']);

/**
 * The cluster bus over Redis pub/sub (one channel). PUBLISH returns after Redis has written the
 * message to every subscribed node's connection, so a node that answered a logout has already
 * told the others. Pub/sub is at-most-once: listeners keep their caches short-lived as well, so
 * an event missed during a Redis outage is made good by expiry.
 */
export function createRedisBus(opts: { url: string; logger?: Logger; channel?: string }): ClusterBus & { ready(): Promise<void> } {
  const channel = opts.channel ?? 'heron:cluster';
  const pub = new Redis(opts.url, { maxRetriesPerRequest: 2 });
  const sub = new Redis(opts.url);
  for (const c of [pub, sub]) c.on('error', (err: Error) => opts.logger?.warn({ err: err.message }, 'cluster bus: redis error'));
  const listeners = new Set<(e: ClusterEvent) => void>();
  const subscribed = sub.subscribe(channel).catch((err: unknown) => opts.logger?.error({ err }, 'cluster bus: subscribe failed'));
  sub.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    let event: ClusterEvent;
    try {
      event = JSON.parse(message) as ClusterEvent;
    } catch {
      return;
    }
    if (!event || !TYPES.has(event.type)) return;
    for (const l of [...listeners]) {
      try {
        l(event);
      } catch (err) {
        opts.logger?.error({ err, event: event.type }, 'cluster bus listener failed');
      }
    }
  });
  return {
    async publish(event) {
      await withTimeout(pub.publish(channel, JSON.stringify(event)), 5000, 'cluster bus publish');
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async ready() {
      await subscribed;
    },
    async close() {
      listeners.clear();
      await Promise.all([closeRedis(pub), closeRedis(sub)]);
    },
  };
}
