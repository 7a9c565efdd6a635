import { Counter, Gauge, type Registry } from 'prom-client';
import type { ConnectionGate, ConnectionTicket } from '../domain/index.js';

export interface ConnectionGateOptions {
  /** Concurrent connections per client IP on each listener (0: no cap). */
  perIp: number;
  /** Per-listener overrides, e.g. `{ api: 100 }` (browsers open several connections at once). */
  perListener?: Record<string, number>;
  metrics?: Registry;
}

function reuse<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * Counts open connections per listener and client IP, so one address cannot take every slot of
 * a listener (the whole-server caps of smtp-server and http then stay for everyone else).
 * In memory: concurrent connections are a property of this node's sockets.
 */
export function createConnectionGate(opts: ConnectionGateOptions): ConnectionGate {
  const open = new Map<string, number>();
  const registers = opts.metrics ? [opts.metrics] : [];
  const gauge = opts.metrics
    ? reuse(opts.metrics, 'heron_connections_open', () => new Gauge({ name: 'heron_connections_open', help: 'Open client connections by listener', labelNames: ['listener'], registers }))
    : null;
  const refused = opts.metrics
    ? reuse(opts.metrics, 'heron_connections_refused_total', () =>
        new Counter({ name: 'heron_connections_refused_total', help: 'Connections refused by the per-IP cap, by listener', labelNames: ['listener'], registers }))
    : null;
  const limitOf = (listener: string) => opts.perListener?.[listener] ?? opts.perIp;

  return {
    async acquire(listener: string, ip: string): Promise<ConnectionTicket | null> {
      const key = `${listener}\0${ip}`;
      const n = open.get(key) ?? 0;
      const max = limitOf(listener);
      if (max > 0 && n >= max) {
        refused?.inc({ listener });
        return null;
      }
      open.set(key, n + 1);
      gauge?.inc({ listener });
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          const left = (open.get(key) ?? 1) - 1;
          if (left <= 0) open.delete(key);
          else open.set(key, left);
          gauge?.dec({ listener });
        },
      };
    },
  };
}
