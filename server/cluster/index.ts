import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { ClusterBus, ServiceRegistry } from '../../domain/index.js';
import { createMemoryBus } from '../../store/cluster/memory-bus.js';
import { createRedisBus } from '../../store/cluster/redis-bus.js';
import { createMemoryRegistry } from '../../store/cluster/memory-registry.js';
import { createRedisRegistry } from '../../store/cluster/redis-registry.js';

export { announceRevocations } from './revocations.js';
export { startRegistration, type Registration } from './registration.js';

export interface Cluster {
  bus: ClusterBus;
  registry: ServiceRegistry;
  /** True with HERON_REDIS_URL: other nodes share the bus and the registry. */
  shared: boolean;
  /** A command client for the rest of the shared state (counters, connection counts); null without Redis. */
  redis: Redis | null;
  close(): Promise<void>;
}

/** The cluster bus and the service registry: in this process, or in Redis where nodes are many. */
export function createCluster(config: Config, logger?: Logger): Cluster {
  if (!config.redisUrl) {
    const bus = createMemoryBus((err) => logger?.error({ err }, 'cluster listener failed'));
    const registry = createMemoryRegistry();
    return { bus, registry, shared: false, redis: null, close: async () => void (await Promise.all([bus.close(), registry.close()])) };
  }
  const bus = createRedisBus({ url: config.redisUrl, channel: `${config.redisPrefix}:cluster`, ...(logger ? { logger } : {}) });
  const registry = createRedisRegistry({ url: config.redisUrl, prefix: `${config.redisPrefix}:registry:`, ...(logger ? { logger } : {}) });
  // Fail fast rather than queue: every user of this client has an in-memory fallback.
  const redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', (err: Error) => logger?.warn({ err: err.message }, 'cluster: redis error'));
  return {
    bus,
    registry,
    shared: true,
    redis,
    close: async () => {
      await Promise.allSettled([bus.close(), registry.close()]);
      redis.disconnect();
    },
  };
}
