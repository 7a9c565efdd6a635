import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { ApiError } from './api-error.js';

/**
 * The web app's session: the API's own JWT kept in an HttpOnly, SameSite=Strict cookie so page
 * scripts never hold it, plus a CSRF token the page sends back as `X-CSRF-Token` on every
 * state-changing request. The CSRF token is an HMAC of the token id, so the server keeps no
 * extra state and a logout (revoking the id) voids both at once.
 */
export interface CookieSession {
  readonly cookieName: string;
  /** The session cookie's token, or null. */
  read(ctx: Context): string | null;
  set(ctx: Context, token: string, expiresAt: Date): void;
  clear(ctx: Context): void;
  csrfToken(jti: string): string;
  /**
   * For a request authenticated by the cookie: a method other than GET/HEAD/OPTIONS needs the
   * CSRF header, and a browser-sent Origin must be this host (403 `csrf_failed`).
   */
  check(ctx: Context, jti: string): void;
}

export const SESSION_COOKIE = 'heron_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createCookieSession(opts: { secret: string; cookieName?: string }): CookieSession {
  const cookieName = opts.cookieName ?? SESSION_COOKIE;
  const csrfToken = (jti: string) => createHmac('sha256', opts.secret).update(`csrf:${jti}`).digest('base64url');
  const cookieOptions = (ctx: Context, expires: Date) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    // Secure only where the browser would send it back: plain http on loopback is the test and first-run case.
    secure: ctx.protocol === 'https',
    path: '/',
    expires,
    overwrite: true,
  });
  return {
    cookieName,
    read(ctx) {
      const v = ctx.cookies.get(cookieName);
      return v && /^[A-Za-z0-9._~+/=-]{1,4096}$/.test(v) ? v : null;
    },
    set(ctx, token, expiresAt) {
      ctx.cookies.set(cookieName, token, cookieOptions(ctx, expiresAt));
    },
    clear(ctx) {
      ctx.cookies.set(cookieName, '', { ...cookieOptions(ctx, new Date(0)), maxAge: 0 });
    },
    csrfToken,
    check(ctx, jti) {
      if (SAFE_METHODS.has(ctx.method)) return;
      // Host only, not scheme: behind a TLS-terminating proxy the request reaches us as http.
      const origin = ctx.get('origin');
      if (origin && hostOf(origin) !== ctx.host.toLowerCase()) throw new ApiError(403, 'csrf_failed', 'cross-origin request refused');
      const sent = Buffer.from(ctx.get('x-csrf-token'));
      const want = Buffer.from(csrfToken(jti));
      if (sent.length !== want.length || !timingSafeEqual(sent, want)) throw new ApiError(403, 'csrf_failed', 'missing or wrong X-CSRF-Token');
    },
  };
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}
