import Router from '@koa/router';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/web-session.js';
import { profileOf } from './profile.js';

/**
 * The web app's cookie session (issue 13 item 4). The page logs in with /v1/auth/login (+ the
 * second factor), then trades the token for an HttpOnly SameSite=Strict cookie here and forgets
 * it; every later request is authenticated by the cookie plus the CSRF token answered here.
 */
export function webSessionRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const { session } = deps;

  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/session', summary: 'Start a cookie session for the presented token; answers the CSRF token', auth: 'user',
    response: S.SessionInfo,
    async handler({ ctx, user, auth }) {
      session.set(ctx, ctx.state.token as string, auth.expiresAt);
      return { csrfToken: session.csrfToken(auth.jti), expiresAt: auth.expiresAt.toISOString(), profile: profileOf(user) };
    },
  });

  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/session', summary: 'The current session (after a page load): CSRF token and profile', auth: 'user',
    response: S.SessionInfo,
    async handler({ user, auth }) {
      return { csrfToken: session.csrfToken(auth.jti), expiresAt: auth.expiresAt.toISOString(), profile: profileOf(user) };
    },
  });

  defineRoute(r, deps, doc, {
    method: 'delete', path: '/v1/session', summary: 'Log out: revoke the token server-side and clear the cookie', auth: 'none', status: 204,
    async handler({ ctx }) {
      const auth = ctx.state.auth as { userId: string; jti: string } | undefined;
      if (auth) {
        await deps.tokens.revoke(auth.jti);
        await deps.accounts.audit({ userId: auth.userId, action: 'logout', ip: ctx.ip });
      }
      session.clear(ctx);
    },
  });
  return r;
}
