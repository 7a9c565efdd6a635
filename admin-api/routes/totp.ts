import Router from '@koa/router';
import { generateSecret, generateURI, verify } from 'otplib';
import { ApiError } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/auth.js';

/** TOTP (RFC 6238) as the second factor instead of SMS: set up, confirm with a code, switch off with a code. */
export function totpRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const check = async (secret: string, code: string) => (await verify({ secret, token: code, epochTolerance: 30 })).valid;

  defineRoute(r, deps, doc, {
    method: 'get',
    path: '/v1/me/totp',
    summary: 'Whether TOTP is on',
    auth: 'user',
    response: S.TotpStatus,
    async handler({ user }) {
      return { enabled: (await deps.accounts.getTotp(user.id))?.enabled ?? false };
    },
  });
  defineRoute(r, deps, doc, {
    method: 'post',
    path: '/v1/me/totp',
    summary: 'Start TOTP setup: a new secret, not active until confirmed',
    auth: 'user',
    response: S.TotpSetupResponse,
    status: 201,
    errors: [[409, 'totp_enabled']],
    async handler({ user }) {
      const cur = await deps.accounts.getTotp(user.id);
      if (cur?.enabled) throw new ApiError(409, 'totp_enabled', 'TOTP is already on; switch it off first');
      const secret = generateSecret();
      await deps.accounts.setTotp(user.id, { secret, enabled: false });
      return { secret, otpauthUrl: generateURI({ issuer: 'Heron', label: user.address, secret }) };
    },
  });
  defineRoute(r, deps, doc, {
    method: 'post',
    path: '/v1/me/totp/enable',
    summary: 'Confirm setup with a current code',
    auth: 'user',
    body: S.TotpCodeBody,
    response: S.TotpStatus,
    errors: [[400, 'otp_invalid'], [409, 'totp_not_set_up']],
    async handler({ user, body, ctx }) {
      const cur = await deps.accounts.getTotp(user.id);
      if (!cur) throw new ApiError(409, 'totp_not_set_up', 'start setup first');
      await deps.loginFailures.check(`totp:${user.id}`, 'otp_locked');
      if (!(await check(cur.secret, body.code))) {
        await deps.loginFailures.consume(`totp:${user.id}`, 'otp_locked');
        throw new ApiError(400, 'otp_invalid', 'wrong code');
      }
      await deps.accounts.setTotp(user.id, { secret: cur.secret, enabled: true });
      await deps.accounts.audit({ userId: user.id, action: 'totp_enabled', ip: ctx.ip });
      return { enabled: true };
    },
  });
  defineRoute(r, deps, doc, {
    method: 'post',
    path: '/v1/me/totp/disable',
    summary: 'Switch TOTP off (needs a current code); SMS becomes the second factor again',
    auth: 'user',
    body: S.TotpCodeBody,
    response: S.TotpStatus,
    errors: [[400, 'otp_invalid']],
    async handler({ user, body, ctx }) {
      const cur = await deps.accounts.getTotp(user.id);
      if (!cur?.enabled) return { enabled: false };
      await deps.loginFailures.check(`totp:${user.id}`, 'otp_locked');
      if (!(await check(cur.secret, body.code))) {
        await deps.loginFailures.consume(`totp:${user.id}`, 'otp_locked');
        throw new ApiError(400, 'otp_invalid', 'wrong code');
      }
      await deps.accounts.setTotp(user.id, null);
      await deps.accounts.audit({ userId: user.id, action: 'totp_disabled', ip: ctx.ip });
      return { enabled: false };
    },
  });
  return r;
}
