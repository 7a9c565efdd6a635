import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config/index.js';
import type { AccountStore, ClusterBus, ConnectionGate, ServiceRegistry } from '../domain/index.js';
import { createCookieSession, createGateway, createHttpListener, createServiceProxy, createTokenVerifier } from '../gateway/index.js';
import { gateHttpConnections } from '../admin-api/connection-cap.js';

/**
 * `heron start --role gateway` without `api`: the HTTP front of many nodes. It serves the web
 * app, keeps the blacklist and per-IP/per-account limits (shared through Redis), verifies tokens
 * through its own cache (revocations arrive on the cluster bus), and proxies /v1 to the API
 * instances the service registry lists.
 */
export function createFrontGateway(opts: {
  config: Config;
  logger: Logger;
  metrics: Registry;
  accounts: AccountStore;
  jwtSecret: string;
  registry: ServiceRegistry;
  bus: ClusterBus;
  webRoot?: string;
  /** Per-IP cap on the listener ('api'), as on a single node. */
  connectionGate?: ConnectionGate;
}) {
  const logger = opts.logger.child({ component: 'gateway' });
  const tokens = createTokenVerifier({ secret: opts.jwtSecret, accounts: opts.accounts, ttlSec: Math.round(opts.config.auth.tokenTtl / 1000), bus: opts.bus });
  const interval = opts.config.cluster.heartbeatInterval;
  const proxy = createServiceProxy({
    registry: opts.registry,
    logger,
    refreshMs: Math.max(250, Math.floor(interval / 2)),
    missedHeartbeats: opts.config.cluster.missedHeartbeats,
    bodyLimit: opts.config.limits.maxMessageSize,
  });
  const gateway = createGateway({
    logger,
    metrics: opts.metrics,
    tokens,
    session: createCookieSession({ secret: opts.jwtSecret }),
    proxy,
    ...(opts.webRoot ? { webRoot: opts.webRoot } : {}),
    ...(opts.config.redisUrl ? { redisUrl: opts.config.redisUrl, namespace: opts.config.redisPrefix } : {}),
    ...(opts.config.metrics.token ? { metricsToken: opts.config.metrics.token } : {}),
  });
  const gate = opts.connectionGate;
  const listener = createHttpListener(gateway.app.callback(), gate ? (server, handler) => gateHttpConnections(server, gate, 'api', handler) : undefined);
  return {
    tokens,
    listen: (port: number, host: string) => listener.listen(port, host),
    async close(): Promise<void> {
      proxy.close();
      await listener.close();
      await gateway.close();
    },
  };
}
