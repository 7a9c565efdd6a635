import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { ChangeEvent, ChangeListener, Id, Notifier } from '../../domain/index.js';
import { createMemoryNotifier } from './memory-notifier.js';
import { closeRedis } from '../cluster/redis-close.js';

export interface RedisNotifierOptions {
  /** `redis://host:port/db` URL, or ioredis options (e.g. `{ path }` for a unix socket). */
  redis: string | RedisOptions;
  logger?: Logger;
  /** Channel prefix, so several Heron installations can share one Redis. */
  prefix?: string;
}

interface Envelope {
  node: string;
  events: ChangeEvent[];
}

/**
 * Change fan-out across nodes over Redis pub/sub, one channel per user (`<prefix><userId>`), so
 * a node only receives changes for users it has sessions for. Local listeners hear this node's
 * events at once (no round trip); events that come back from Redis with our own node id are
 * dropped. Pub/sub is at-most-once: a session that missed events while Redis was away catches
 * up from the store's journal by MODSEQ, as after any reconnect. Never throws into the store.
 */
export interface RedisNotifier extends Notifier {
  /** Resolves once every SUBSCRIBE issued so far is active (tests; startup checks). */
  ready(): Promise<void>;
}

export function createRedisNotifier(opts: RedisNotifierOptions): RedisNotifier {
  const prefix = opts.prefix ?? 'heron:changes:';
  const node = randomBytes(8).toString('hex');
  const local = createMemoryNotifier({
    onError: (err, event) => opts.logger?.error({ err, userId: event.userId, type: event.type }, 'change listener failed'),
  });
  const connect = (): Redis => {
    const client = typeof opts.redis === 'string' ? new Redis(opts.redis, { lazyConnect: false }) : new Redis({ ...opts.redis, lazyConnect: false });
    client.on('error', (err: Error) => opts.logger?.warn({ err }, 'redis notifier connection error'));
    return client;
  };
  const pub = connect();
  const sub = connect();
  const counts = new Map<Id, number>();
  const pending = new Set<Promise<unknown>>();
  let closed = false;

  sub.on('message', (channel: string, message: string) => {
    if (!channel.startsWith(prefix)) return;
    let parsed: Envelope;
    try {
      parsed = JSON.parse(message) as Envelope;
    } catch {
      opts.logger?.warn({ channel }, 'malformed change message ignored');
      return;
    }
    if (!parsed || parsed.node === node || !Array.isArray(parsed.events)) return;
    const userId = channel.slice(prefix.length);
    // Only events for the channel's user: a peer cannot widen what a subscriber sees.
    local.publish(parsed.events.filter((e) => e && e.userId === userId));
  });

  return {
    publish(events: ChangeEvent[]) {
      if (closed || events.length === 0) return;
      local.publish(events);
      const byUser = new Map<Id, ChangeEvent[]>();
      for (const e of events) {
        const list = byUser.get(e.userId);
        if (list) list.push(e);
        else byUser.set(e.userId, [e]);
      }
      for (const [userId, list] of byUser) {
        pub.publish(prefix + userId, JSON.stringify({ node, events: list } satisfies Envelope)).catch((err: unknown) => {
          opts.logger?.warn({ err, userId }, 'change publish to redis failed');
        });
      }
    },

    subscribe(userId: Id, listener: ChangeListener) {
      const off = local.subscribe(userId, listener);
      const n = (counts.get(userId) ?? 0) + 1;
      counts.set(userId, n);
      if (n === 1) {
        const p = sub.subscribe(prefix + userId).catch((err: unknown) => opts.logger?.warn({ err, userId }, 'redis subscribe failed'));
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
      let done = false;
      return () => {
        if (done) return;
        done = true;
        off();
        const left = (counts.get(userId) ?? 1) - 1;
        if (left > 0) {
          counts.set(userId, left);
          return;
        }
        counts.delete(userId);
        if (!closed) sub.unsubscribe(prefix + userId).catch(() => undefined);
      };
    },

    async ready() {
      await Promise.all([...pending]);
    },

    async close() {
      if (closed) return;
      closed = true;
      await local.close();
      await Promise.all([closeRedis(pub), closeRedis(sub)]);
    },
  };
}
