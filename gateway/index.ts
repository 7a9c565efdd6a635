import Koa from 'koa';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { requestId } from './request-id.js';
import { accessLog } from './access-log.js';
import { errorHandler } from './error-handler.js';
import { jsonBody, DEFAULT_BODY_LIMIT } from './json-body.js';
import { createLimiterFactory, type LimitSpec, type LimiterFactory } from './rate-limit.js';
import { createBlacklist, type BlacklistOptions } from './blacklist.js';
import { authenticate } from './authenticate.js';
import { createRouteMap, type RouteMap } from './route-map.js';
import type { TokenVerifier } from './token-cache.js';
import { ApiError } from './api-error.js';

export { ApiError, errorBody, unauthorized, notFound } from './api-error.js';
export { createTokenVerifier, type TokenVerifier, type AuthInfo } from './token-cache.js';
export { createRouteMap, type RouteMap, type ServiceRegistration } from './route-map.js';
export type { Limiter, LimiterFactory, LimitSpec } from './rate-limit.js';

export interface GatewayLimits {
  bodyBytes: number;
  perIp: LimitSpec;
  perAccount: LimitSpec;
  blacklist: BlacklistOptions;
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = {
  bodyBytes: DEFAULT_BODY_LIMIT,
  perIp: { points: 600, durationSec: 60 },
  perAccount: { points: 1200, durationSec: 60 },
  blacklist: { strikes: 20, windowSec: 300, blockSec: 900 },
};

export interface Gateway {
  app: Koa;
  routes: RouteMap;
  limiters: LimiterFactory;
  /** Records a limit hit against an IP (routes call it when their own limiters refuse). */
  strike(ip: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The HTTP front: request id, access log, errors as JSON, blacklist, per-IP limit, body cap,
 * token verification, per-account limit, then dispatch through the route map.
 */
export function createGateway(opts: {
  logger: Logger;
  metrics: Registry;
  tokens: TokenVerifier;
  redisUrl?: string;
  /** Redis key prefix, so deployments (or test runs) sharing one Redis keep separate counts. */
  namespace?: string;
  limits?: Partial<GatewayLimits>;
}): Gateway {
  const limits = { ...DEFAULT_GATEWAY_LIMITS, ...opts.limits };
  const limiters = createLimiterFactory({ logger: opts.logger, ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}), ...(opts.namespace ? { namespace: opts.namespace } : {}) });
  const blacklist = createBlacklist(limiters, limits.blacklist, opts.logger);
  const perIp = limiters.create('ip', limits.perIp);
  const perAccount = limiters.create('account', limits.perAccount);
  const routes = createRouteMap();
  const app = new Koa();
  app.silent = true;

  // A limit refusal anywhere below counts as a strike towards the blacklist.
  const strikeOn429: Middleware = async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof ApiError && err.status === 429 && err.code !== 'ip_blocked') await blacklist.strike(ctx.ip);
      throw err;
    }
  };

  const health: Middleware = async (ctx, next) => {
    if (ctx.path === '/v1/health' && ctx.method === 'GET') {
      const services = routes.status();
      const up = services.every((s) => s.up);
      ctx.status = up ? 200 : 503;
      ctx.body = { status: up ? 'ok' : 'degraded', services };
      return;
    }
    if (ctx.path === '/metrics' && ctx.method === 'GET') {
      ctx.type = opts.metrics.contentType;
      ctx.body = await opts.metrics.metrics();
      return;
    }
    await next();
  };

  app.use(requestId());
  app.use(accessLog(opts.logger, opts.metrics));
  app.use(errorHandler(opts.logger));
  app.use(health);
  app.use(blacklist.middleware());
  app.use(strikeOn429);
  app.use(async (ctx, next) => {
    await perIp.consume(ctx.ip);
    await next();
  });
  app.use(jsonBody(limits.bodyBytes));
  app.use(authenticate(opts.tokens, perAccount));
  app.use(routes.middleware());

  return {
    app,
    routes,
    limiters,
    strike: (ip) => blacklist.strike(ip),
    close: () => limiters.close(),
  };
}
