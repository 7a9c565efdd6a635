import http from 'node:http';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { isAlive, type ServiceInstance, type ServiceRegistry } from '../domain/index.js';
import { ApiError } from './api-error.js';
import { readCapped, DEFAULT_BODY_LIMIT } from './json-body.js';
import { lingerClose } from './linger-close.js';
import type { ServiceStatus } from './route-map.js';

export interface ServiceProxyOptions {
  registry: ServiceRegistry;
  logger: Logger;
  /** How often the cached route map is re-read (it is also re-read at once when an instance joins or leaves). */
  refreshMs: number;
  /** An instance silent for this many of its heartbeat intervals is dropped. */
  missedHeartbeats: number;
  bodyLimit?: number;
}

export interface ServiceProxy {
  middleware(): Middleware;
  /** Prefixes and whether a live instance serves them (for /v1/health). */
  status(): ServiceStatus[];
  /** Re-reads the registry now. */
  refresh(): Promise<void>;
  close(): void;
}

// RFC 9110 7.6.1: connection-specific fields are not forwarded.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length']);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** Errors where the request certainly never reached the instance. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);
/** Errors that say the instance (not the request) is in trouble. */
const INSTANCE_DOWN = new Set([...NOT_CONNECTED, 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENETDOWN']);

const matches = (path: string, prefix: string) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

/**
 * The gateway's view of the API instances in the service registry: a cached route map,
 * re-read every `refreshMs` and at once on joins and leaves. Each request goes to a live
 * instance serving the longest matching prefix, round-robin. When an instance cannot be
 * reached it is skipped until it heartbeats again, and the request is retried on another
 * (always when the connection was refused; for an idempotent method, or a reused keep-alive
 * socket, also when the connection broke before an answer). Request bodies are read first, up to
 * the body cap, so a retry can resend them.
 */
export function createServiceProxy(opts: ServiceProxyOptions): ServiceProxy {
  const bodyLimit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let instances: ServiceInstance[] = [];
  /** Instance id -> when a request to it failed to connect. */
  const failed = new Map<string, number>();
  let turn = 0;
  let refreshing: Promise<void> | null = null;

  const refresh = (): Promise<void> => {
    refreshing ??= opts.registry
      .list()
      .then((list) => {
        instances = list.filter((i) => i.apiUrl && i.prefixes.length > 0);
        for (const [id, at] of failed) {
          const i = instances.find((x) => x.id === id);
          if (!i || i.lastHeartbeat > at) failed.delete(id);
        }
      })
      .catch((err: unknown) => opts.logger.warn({ err }, 'route map refresh failed; keeping the cached one'))
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };
  const timer = setInterval(() => void refresh(), opts.refreshMs);
  timer.unref();
  const unwatch = opts.registry.watch(() => void refresh());
  void refresh();

  const live = (now: number) => instances.filter((i) => isAlive(i, now, opts.missedHeartbeats) && !failed.has(i.id));

  /** Live instances serving the longest prefix that matches, in round-robin order. */
  function candidates(path: string): ServiceInstance[] {
    let best = -1;
    let list: ServiceInstance[] = [];
    for (const i of live(Date.now())) {
      const len = Math.max(-1, ...i.prefixes.filter((p) => matches(path, p)).map((p) => p.length));
      if (len < 0 || len < best) continue;
      if (len > best) {
        best = len;
        list = [];
      }
      list.push(i);
    }
    if (list.length === 0) return list;
    const start = turn++ % list.length;
    return [...list.slice(start), ...list.slice(0, start)];
  }

  function forward(target: ServiceInstance, ctx: Parameters<Middleware>[0], body: Buffer | null): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(ctx.req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
      // The client as the gateway saw it; an instance trusts only this last hop (maxIpsCount 1).
      headers['x-forwarded-for'] = ctx.ip;
      headers['x-forwarded-proto'] = ctx.protocol;
      headers['x-forwarded-host'] = ctx.host;
      headers['x-request-id'] = String(ctx.state.requestId ?? '');
      if (body) headers['content-length'] = String(body.length);
      // The request target goes as received (the HTTP parser vetted it), never resolved against
      // the instance URL: a path like //other.host must not pick another host.
      const base = new URL(target.apiUrl!);
      const req = http.request({ protocol: base.protocol, hostname: base.hostname, port: base.port, path: ctx.url, method: ctx.method, headers, agent });
      req.once('response', resolve);
      req.once('error', (err: NodeJS.ErrnoException) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
      req.end(body ?? undefined);
    });
  }

  return {
    status() {
      const now = Date.now();
      const alive = live(now);
      const prefixes = [...new Set(instances.flatMap((i) => i.prefixes))].sort();
      return prefixes.map((p) => {
        const serving = alive.filter((i) => i.prefixes.includes(p));
        const last = Math.max(0, ...instances.filter((i) => i.prefixes.includes(p)).map((i) => i.lastHeartbeat));
        return { name: p, prefixes: [p], up: serving.length > 0, lastHeartbeat: new Date(last).toISOString() };
      });
    },
    refresh,
    close() {
      clearInterval(timer);
      unwatch();
      agent.destroy();
    },
    middleware() {
      return async (ctx, next) => {
        if (!ctx.path.startsWith('/v1/')) return next();
        let targets = candidates(ctx.path);
        if (targets.length === 0) {
          // A route map older than a join: look again once before refusing.
          await refresh();
          targets = candidates(ctx.path);
        }
        if (targets.length === 0) {
          // A path no known instance serves is no route (404); with no instance known at all, the API is down.
          if (instances.length > 0 && !instances.some((i) => i.prefixes.some((p) => matches(ctx.path, p)))) return next();
          throw new ApiError(503, 'service_unavailable', 'no API instance is available for this path', { headers: { 'Retry-After': '5' } });
        }
        let body: Buffer | null = null;
        if (ctx.get('content-length') || /chunked/i.test(ctx.get('transfer-encoding'))) {
          if (Number(ctx.get('content-length') || 0) > bodyLimit) {
            lingerClose(ctx.req, ctx.res);
            throw new ApiError(413, 'payload_too_large', `request body over ${bodyLimit} bytes`);
          }
          const chunks = await readCapped(ctx.req, bodyLimit);
          if (chunks === null) {
            lingerClose(ctx.req, ctx.res);
            throw new ApiError(413, 'payload_too_large', `request body over ${bodyLimit} bytes`);
          }
          body = Buffer.concat(chunks);
        }
        let lastErr: unknown;
        for (const target of targets) {
          let res: http.IncomingMessage;
          try {
            res = await forward(target, ctx, body);
          } catch (err) {
            const e = err as NodeJS.ErrnoException & { reusedSocket?: boolean };
            lastErr = err;
            if (!INSTANCE_DOWN.has(e.code ?? '')) break;
            const neverArrived = NOT_CONNECTED.has(e.code ?? '') || (e.reusedSocket === true && e.code === 'ECONNRESET');
            failed.set(target.id, Date.now());
            opts.logger.warn({ instance: target.id, url: target.apiUrl, code: e.code }, 'api instance unreachable; trying another');
            if (neverArrived || IDEMPOTENT.has(ctx.method)) continue;
            break;
          }
          ctx.status = res.statusCode ?? 502;
          for (const [k, v] of Object.entries(res.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) ctx.set(k, v as string | string[]);
          ctx.state.service = target.id;
          // Which instance answered: for operators following a request across nodes.
          ctx.set('X-Heron-Instance', target.id);
          if (ctx.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304) {
            res.resume();
            return;
          }
          // Streamed as it arrives (server-sent events included); a broken upstream ends the response.
          ctx.body = res;
          return;
        }
        opts.logger.error({ err: lastErr, path: ctx.path }, 'no api instance answered');
        throw new ApiError(502, 'bad_gateway', 'the API instance did not answer', { headers: { 'Retry-After': '1' } });
      };
    },
  };
}
