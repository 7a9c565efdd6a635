import Router from '@koa/router';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/mail.js';
import { sendMessage } from '../send/send-message.js';

/** Compose and send: through the MSA when wired (remote recipients queued), else local delivery only. */
export function sendRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/messages/send', summary: 'Send a message (to, cc, bcc, groups)', auth: 'user', body: S.SendBody,
    response: S.SendResponse, status: 202,
    errors: [[400, 'no_recipients'], [400, 'too_many_recipients'], [404, 'not_found'], [422, 'unknown_recipient'], [422, 'remote_delivery_unavailable'], [503, 'sending_unavailable']],
    async handler({ user, body, ctx }) {
      return sendMessage(deps, user, { ...body, addSignature: true }, ctx.ip);
    },
  });
  return r;
}
