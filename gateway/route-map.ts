import type { Middleware } from 'koa';
import { ApiError } from './api-error.js';

export interface ServiceRegistration {
  name: string;
  /** Path prefixes the service answers, e.g. '/v1/contacts'. Matched on segment boundaries. */
  prefixes: string[];
  handler: Middleware;
  /** A service that has not sent a heartbeat within this long is down (503). Default: never expires (in-process). */
  heartbeatTtlMs?: number;
}

export interface ServiceStatus {
  name: string;
  prefixes: string[];
  up: boolean;
  lastHeartbeat: string;
}

export interface RouteMap {
  register(service: ServiceRegistration): void;
  heartbeat(name: string): void;
  unregister(name: string): void;
  status(): ServiceStatus[];
  middleware(): Middleware;
}

interface Entry extends ServiceRegistration {
  lastHeartbeat: number;
}

/**
 * The service mapper: services register path prefixes and keep a heartbeat; the gateway
 * dispatches each request to the service with the longest matching prefix. In-process for now;
 * a Redis-backed registry can replace it for many nodes with the same interface.
 */
export function createRouteMap(now: () => number = Date.now): RouteMap {
  const services = new Map<string, Entry>();
  let table: Array<{ prefix: string; service: Entry }> = [];

  const rebuild = () => {
    table = [...services.values()]
      .flatMap((service) => service.prefixes.map((prefix) => ({ prefix, service })))
      .sort((a, b) => b.prefix.length - a.prefix.length);
  };
  const isUp = (e: Entry) => e.heartbeatTtlMs === undefined || now() - e.lastHeartbeat <= e.heartbeatTtlMs;

  return {
    register(service) {
      services.set(service.name, { ...service, lastHeartbeat: now() });
      rebuild();
    },
    heartbeat(name) {
      const e = services.get(name);
      if (e) e.lastHeartbeat = now();
    },
    unregister(name) {
      services.delete(name);
      rebuild();
    },
    status() {
      return [...services.values()].map((e) => ({
        name: e.name,
        prefixes: e.prefixes,
        up: isUp(e),
        lastHeartbeat: new Date(e.lastHeartbeat).toISOString(),
      }));
    },
    middleware() {
      return async (ctx, next) => {
        const path = ctx.path;
        const hit = table.find(({ prefix }) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : prefix + '/'));
        if (!hit) return next();
        ctx.state.service = hit.service.name;
        if (!isUp(hit.service)) throw new ApiError(503, 'service_unavailable', `service ${hit.service.name} is not available`, { headers: { 'Retry-After': '5' } });
        await hit.service.handler(ctx, next);
      };
    },
  };
}
