import Koa from 'koa';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { requestId } from './request-id.js';
import { accessLog } from './access-log.js';
import { errorHandler } from './error-handler.js';
import { jsonBody, DEFAULT_BODY_LIMIT } from './json-body.js';
import { createLimiterFactory, type Limiter, type LimitSpec, type LimiterFactory } from './rate-limit.js';
import { createBlacklist, type BlacklistOptions } from './blacklist.js';
import { authenticate } from './authenticate.js';
import { createRouteMap, type RouteMap } from './route-map.js';
import type { TokenVerifier } from './token-cache.js';
import { ApiError } from './api-error.js';
import { bearerMatches } from './bearer.js';
import type { CookieSession } from './cookie-session.js';
import { createWebApp } from './web-app.js';
import type { ServiceProxy } from './service-proxy.js';

export { lingerClose, DEFAULT_LINGER, type LingerOptions } from './linger-close.js';
export { ApiError, errorBody, unauthorized, notFound } from './api-error.js';
export { createTokenVerifier, type TokenVerifier, type AuthInfo } from './token-cache.js';
export { createRouteMap, type RouteMap, type ServiceRegistration } from './route-map.js';
export type { Limiter, LimiterFactory, LimitSpec } from './rate-limit.js';
export { createCookieSession, type CookieSession, SESSION_COOKIE } from './cookie-session.js';
export { createWebApp, WEB_APP_CSP, WEB_APP_HEADERS } from './web-app.js';

export interface GatewayLimits {
  bodyBytes: number;
  perIp: LimitSpec;
  perAccount: LimitSpec;
  blacklist: BlacklistOptions;
}

export { createServiceProxy, type ServiceProxy, type ServiceProxyOptions } from './service-proxy.js';
export { createHttpListener, type HttpListener } from './http-listener.js';

/** The front already counted the request. */
const uncounted: Limiter = { consume: async () => undefined, check: async () => undefined, reset: async () => undefined };

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
  /** The web app's cookie session (gateway/cookie-session.ts); without it only bearer tokens count. */
  session?: CookieSession;
  /** The built web app (dist/web) served at `/`; absent: no web app. */
  webRoot?: string;
  /** Paths whose non-JSON bodies the route reads itself (uploads), e.g. /^\/v1\/drafts\/[^/]+\/attachments$/. */
  rawBodyPaths?: RegExp[];
  /**
   * `/metrics` on the API port only with `Authorization: Bearer <metricsToken>`; unset: not
   * served here at all (server/ serves it on the loopback metrics port).
   */
  metricsToken?: string;
  /**
   * A front gateway of many nodes: requests under /v1 go to API instances from the service
   * registry (gateway/service-proxy.ts) instead of the in-process route map, bodies unparsed.
   */
  proxy?: ServiceProxy;
  /**
   * An API instance behind a front gateway: the client address is the X-Forwarded-For value the
   * gateway set (the last hop only), and the per-IP and per-account counts, which the gateway
   * already took, are not taken again.
   */
  behindGateway?: boolean;
}): Gateway {
  const limits = { ...DEFAULT_GATEWAY_LIMITS, ...opts.limits };
  const limiters = createLimiterFactory({ logger: opts.logger, ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}), ...(opts.namespace ? { namespace: opts.namespace } : {}) });
  const blacklist = createBlacklist(limiters, limits.blacklist, opts.logger);
  const perIp = limiters.create('ip', limits.perIp);
  const perAccount = limiters.create('account', limits.perAccount);
  const routes = createRouteMap();
  const app = new Koa();
  app.silent = true;
  if (opts.behindGateway) {
    app.proxy = true;
    app.maxIpsCount = 1;
  }

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
      const services = opts.proxy ? opts.proxy.status() : routes.status();
      const up = services.every((s) => s.up);
      ctx.status = up ? 200 : 503;
      ctx.body = { status: up ? 'ok' : 'degraded', services };
      return;
    }
    if (ctx.path === '/metrics' && ctx.method === 'GET' && opts.metricsToken && bearerMatches(ctx.get('authorization'), opts.metricsToken)) {
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
    if (!opts.behindGateway) await perIp.consume(ctx.ip);
    await next();
  });
  if (opts.webRoot) app.use(createWebApp(opts.webRoot).middleware());
  if (!opts.proxy) app.use(jsonBody(limits.bodyBytes, opts.rawBodyPaths));
  app.use(authenticate(opts.tokens, opts.behindGateway ? uncounted : perAccount, opts.session));
  app.use(opts.proxy ? opts.proxy.middleware() : routes.middleware());

  return {
    app,
    routes,
    limiters,
    strike: (ip) => blacklist.strike(ip),
    close: () => limiters.close(),
  };
}
