import type { Middleware } from 'koa';
import { unauthorized } from './api-error.js';
import type { TokenVerifier } from './token-cache.js';
import type { Limiter } from './rate-limit.js';
import type { CookieSession } from './cookie-session.js';

/**
 * Reads a bearer token if one is sent (a bad one is 401 even on public routes, so a client learns
 * its token is dead) and applies the per-account limit. Whether a route needs a user is the
 * route's business (admin-api checks ctx.state.auth). Without an Authorization header the web
 * app's session cookie counts: a dead cookie is simply no session (the login page must still
 * work), and a live one needs its CSRF token on state-changing requests.
 */
export function authenticate(tokens: TokenVerifier, perAccount: Limiter, session?: CookieSession): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    if (header) {
      const m = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/i.exec(header);
      if (!m) throw unauthorized('malformed Authorization header');
      const auth = await tokens.verify(m[1]!);
      ctx.state.auth = auth;
      ctx.state.token = m[1]!;
      await perAccount.consume(auth.userId);
    } else if (session) {
      const token = session.read(ctx);
      const auth = token ? await tokens.verify(token).catch(() => null) : null;
      if (auth) {
        session.check(ctx, auth.jti);
        ctx.state.auth = auth;
        ctx.state.token = token;
        ctx.state.authVia = 'cookie';
        await perAccount.consume(auth.userId);
      }
    }
    await next();
  };
}
