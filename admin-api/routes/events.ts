import Router from '@koa/router';
import { PassThrough } from 'node:stream';
import type { ChangeEvent } from '../../domain/changes.js';
import { ApiError } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute, RawReply } from '../route.js';

/** Open streams per user: each holds a socket and a Notifier subscription. */
const MAX_STREAMS_PER_USER = 20;
/** A comment line now and then keeps proxies from timing the stream out. */
const HEARTBEAT_MS = 25_000;
/** Changes are coalesced per mailbox for this long: a 500-message move is one event, not 500. */
const COALESCE_MS = 200;

/**
 * New mail without a reload: a server-sent event stream (text/event-stream, WHATWG HTML 9.2) fed
 * by the store's Notifier. Events name the mailbox and the kind of change only; the page fetches
 * what it shows through the ordinary routes, so nothing here can leak more than those do.
 */
export function eventsRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const open = new Map<string, number>();

  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/events', summary: 'Server-sent events: `change` {mailboxId, kinds[]} when a mailbox changes', auth: 'user',
    errors: [[429, 'too_many_streams'], [503, 'events_unavailable']], produces: 'text/event-stream',
    async handler({ ctx, user }) {
      const notifier = deps.notifier;
      if (!notifier) throw new ApiError(503, 'events_unavailable', 'no change notifier configured');
      const count = open.get(user.id) ?? 0;
      if (count >= MAX_STREAMS_PER_USER) throw new ApiError(429, 'too_many_streams', `at most ${MAX_STREAMS_PER_USER} event streams per user`);
      open.set(user.id, count + 1);

      const out = new PassThrough();
      const pending = new Map<string, Set<string>>();
      let flushTimer: NodeJS.Timeout | null = null;
      const flush = () => {
        flushTimer = null;
        for (const [mailboxId, kinds] of pending) out.write(`event: change\ndata: ${JSON.stringify({ mailboxId, kinds: [...kinds] })}\n\n`);
        pending.clear();
      };
      const unsubscribe = notifier.subscribe(user.id, (e: ChangeEvent) => {
        const kinds = pending.get(e.mailboxId) ?? new Set<string>();
        kinds.add(e.type);
        pending.set(e.mailboxId, kinds);
        flushTimer ??= setTimeout(flush, COALESCE_MS);
      });
      // The heartbeat also re-checks the token, so a logout elsewhere ends the stream too.
      const token = ctx.state.token as string;
      const heartbeat = setInterval(() => {
        deps.tokens.verify(token).then(
          () => out.write(': keep-alive\n\n'),
          () => close(),
        );
      }, HEARTBEAT_MS);
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        if (flushTimer) clearTimeout(flushTimer);
        const left = (open.get(user.id) ?? 1) - 1;
        if (left > 0) open.set(user.id, left);
        else open.delete(user.id);
        out.end();
      };
      ctx.req.once('close', close);
      out.once('error', close);
      // The reconnect delay, then a first event so the page knows the stream is live.
      out.write(`retry: 3000\nevent: ready\ndata: {}\n\n`);
      ctx.req.socket.setNoDelay(true);
      return new RawReply(out, 'text/event-stream; charset=utf-8', { 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    },
  });
  return r;
}
