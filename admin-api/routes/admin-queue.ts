import Router from '@koa/router';
import type { QueueEntry, QueueStore } from '../../domain/queue.js';
import { notFound } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/admin-queue.js';

const entryOut = (e: QueueEntry) => ({
  id: e.id,
  sender: e.sender,
  domain: e.domain,
  recipients: e.recipients,
  kind: e.kind,
  status: e.status,
  size: e.size,
  attempts: e.attempts,
  lastError: e.lastError,
  createdAt: e.createdAt.toISOString(),
  nextAttemptAt: e.nextAttemptAt.toISOString(),
});

/** The outbound queue for admins: the API face of `heron queue list|flush|delete`. */
export function adminQueueRouter(deps: ApiDeps, queue: QueueStore, doc: OpenApiCollector): Router {
  const r = new Router();
  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/admin/queue', summary: 'Outbound mail waiting for delivery, oldest first', auth: 'admin',
    query: S.QueueQuery, response: S.QueueList, errors: [[403, 'forbidden']],
    async handler({ query }) {
      const entries = await queue.list({ limit: query.limit, offset: query.offset, ...(query.domain ? { domain: query.domain.toLowerCase() } : {}) });
      return entries.map(entryOut);
    },
  });
  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/admin/queue/flush', summary: 'Make one entry, or all, due for delivery now', auth: 'admin',
    body: S.QueueFlush, response: S.QueueFlushed, errors: [[403, 'forbidden']],
    async handler({ body, user, ctx }) {
      const flushed = await queue.flush(body.id);
      deps.wakeQueue?.();
      await deps.accounts.audit({ userId: user.id, action: 'admin_queue_flushed', ip: ctx.ip, details: { id: body.id ?? null, flushed } });
      return { flushed };
    },
  });
  defineRoute(r, deps, doc, {
    method: 'delete', path: '/v1/admin/queue/:id', summary: 'Drop an entry unsent, without a bounce', auth: 'admin', status: 204,
    errors: [[403, 'forbidden'], [404, 'not_found']],
    async handler({ params, user, ctx }) {
      if (!(await queue.delete(params.id!))) throw notFound('queue entry');
      await deps.accounts.audit({ userId: user.id, action: 'admin_queue_deleted', ip: ctx.ip, details: { id: params.id! } });
    },
  });
  return r;
}
