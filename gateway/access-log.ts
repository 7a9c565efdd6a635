import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';

/** One log line and two metrics per request. Logs the path only: query strings may hold search text. */
export function accessLog(logger: Logger, registry: Registry): Middleware {
  const requests = new Counter({
    name: 'heron_api_requests_total',
    help: 'HTTP API requests by service and status',
    labelNames: ['method', 'service', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'heron_api_request_duration_seconds',
    help: 'HTTP API request duration',
    labelNames: ['service'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return async (ctx, next) => {
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const service = (ctx.state.service as string | undefined) ?? 'none';
      requests.inc({ method: ctx.method, service, status: String(ctx.status) });
      duration.observe({ service }, seconds);
      logger.info(
        {
          reqId: ctx.state.requestId,
          method: ctx.method,
          path: ctx.path.slice(0, 200),
          status: ctx.status,
          ms: Math.round(seconds * 1e4) / 10,
          ip: ctx.ip,
          userId: (ctx.state.auth as { userId?: string } | undefined)?.userId,
        },
        'http',
      );
    }
  };
}
