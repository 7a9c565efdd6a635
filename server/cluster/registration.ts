import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Role, ServiceInstance, ServiceRegistry } from '../../domain/index.js';

export interface Registration {
  id: string;
  /** Leaves the registry at once (clean shutdown), before the listeners close. */
  stop(): Promise<void>;
}

/**
 * Registers this node with its roles, bound ports and (API instances) route prefixes and URL,
 * then heartbeats every `intervalMs`. A failed heartbeat is logged and retried on the next tick:
 * gateways drop the node only after it misses several.
 */
export async function startRegistration(opts: {
  registry: ServiceRegistry;
  roles: Role[];
  ports: Record<string, number>;
  apiUrl: string | null;
  prefixes: string[];
  intervalMs: number;
  logger: Logger;
}): Promise<Registration> {
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const entry: Omit<ServiceInstance, 'lastHeartbeat'> = {
    id,
    roles: opts.roles,
    host: hostname(),
    pid: process.pid,
    apiUrl: opts.apiUrl,
    prefixes: opts.prefixes,
    ports: opts.ports,
    startedAt: Date.now(),
    heartbeatMs: opts.intervalMs,
  };
  const beat = () => opts.registry.heartbeat(entry);
  await beat().catch((err: unknown) => opts.logger.warn({ err }, 'service registry: first heartbeat failed'));
  const timer = setInterval(() => void beat().catch((err: unknown) => opts.logger.warn({ err }, 'service registry: heartbeat failed')), opts.intervalMs);
  timer.unref();
  opts.logger.info({ instance: id, roles: opts.roles, apiUrl: opts.apiUrl }, 'registered with the service registry');
  return {
    id,
    async stop() {
      clearInterval(timer);
      await opts.registry.remove(id).catch((err: unknown) => opts.logger.warn({ err }, 'service registry: leave failed'));
    },
  };
}
