import Router from '@koa/router';
import { notFound } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/web-session.js';

/** Signed-in sessions (issued tokens) of the user: list, end one, end all others. */
export function sessionsRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const live = (userId: string) => deps.accounts.listTokens(userId, deps.clock.now());

  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/me/sessions', summary: 'Live sessions, newest first', auth: 'user', response: S.SessionList,
    async handler({ user, auth }) {
      return (await live(user.id)).map((t) => ({
        id: t.jti,
        createdAt: t.createdAt.toISOString(),
        expiresAt: t.expiresAt.toISOString(),
        current: t.jti === auth.jti,
      }));
    },
  });

  defineRoute(r, deps, doc, {
    method: 'delete', path: '/v1/me/sessions/:id', summary: 'End one session', auth: 'user', status: 204, errors: [[404, 'not_found']],
    async handler({ user, params, ctx }) {
      const t = (await live(user.id)).find((x) => x.jti === params.id);
      if (!t) throw notFound('session');
      await deps.tokens.revoke(t.jti);
      await deps.accounts.audit({ userId: user.id, action: 'session_revoked', ip: ctx.ip });
    },
  });

  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/me/sessions/revoke-others', summary: 'End every session but this one', auth: 'user', response: S.RevokedCount,
    async handler({ user, auth, ctx }) {
      const others = (await live(user.id)).filter((t) => t.jti !== auth.jti);
      for (const t of others) await deps.tokens.revoke(t.jti);
      await deps.accounts.audit({ userId: user.id, action: 'sessions_revoked', ip: ctx.ip, details: { count: others.length } });
      return { revoked: others.length };
    },
  });
  return r;
}
