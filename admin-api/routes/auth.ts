import Router from '@koa/router';
import { randomInt } from 'node:crypto';
import { verify as verifyTotp } from 'otplib';
import type { OtpCheck } from '../../domain/account-store.js';
import { isStoreError } from '../../domain/errors.js';
import { ApiError } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/auth.js';

export function newOtpCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Maps a failed code check to the contract's answers (CONTRACT.md: 400 otp_invalid / otp_expired, 429). */
export function otpFailure(r: Exclude<OtpCheck, { result: 'ok' }>): ApiError {
  switch (r.result) {
    case 'invalid':
      return new ApiError(400, 'otp_invalid', `wrong code, ${r.attemptsLeft} attempt(s) left`);
    case 'expired':
      return new ApiError(400, 'otp_expired', 'code expired, request a new one');
    case 'locked':
      return new ApiError(429, 'otp_locked', 'too many wrong codes; request a new one');
    case 'not_found':
      return new ApiError(400, 'otp_invalid', 'no pending code; request a new one');
  }
}

/** Registration with SMS OTP, login with a second factor, logout. */
export function authRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const { users, accounts, tokens } = deps;
  /** A completed login, whichever factor finished it: a token and an audit entry. */
  const loggedIn = async (userId: string, factor: string, ip: string) => {
    const t = await tokens.issue(userId);
    await accounts.audit({ userId, action: 'login', ip, details: { factor } });
    return { token: t.token, expiresAt: t.expiresAt.toISOString() };
  };

  defineRoute(r, deps, doc, {
    method: 'post',
    path: '/v1/auth/register',
    summary: 'Register; a 6-digit code is sent by SMS',
    auth: 'none',
    body: S.RegisterBody,
    response: S.RegisterResponse,
    status: 201,
    errors: [[409, 'username_taken']],
    async handler({ body, ctx }) {
      const address = `${body.username}@${deps.primaryDomain}`;
      let user;
      try {
        user = await users.createUser({
          username: body.username,
          address,
          password: body.password,
          firstName: body.firstName,
          lastName: body.lastName ?? '',
          displayName: [body.firstName, body.lastName].filter(Boolean).join(' '),
          phone: body.phone,
          verified: false,
        });
      } catch (err) {
        if (isStoreError(err, 'already_exists')) throw new ApiError(409, 'username_taken', 'that username is taken');
        throw err;
      }
      const code = newOtpCode();
      await accounts.createOtp({ userId: user.id, purpose: 'register', method: 'sms', code, ttlMs: deps.otp.ttlMs });
      await accounts.audit({ userId: user.id, action: 'register', ip: ctx.ip });
      await deps.sendSms(user, 'registration', code);
      return { userId: user.id, address: user.address, verified: false as const };
    },
  });

  defineRoute(r, deps, doc, {
    method: 'post',
    path: '/v1/auth/verify',
    summary: 'Verify the registration code',
    auth: 'none',
    body: S.VerifyBody,
    response: S.VerifyResponse,
    errors: [[400, 'otp_invalid'], [400, 'otp_expired'], [429, 'otp_locked']],
    async handler({ body, ctx }) {
      const user = await users.getUser(body.userId);
      // An unknown user answers like a wrong code: no user enumeration through this endpoint.
      if (!user) throw new ApiError(400, 'otp_invalid', 'no pending code; request a new one');
      if (user.verified) return { verified: true as const };
      const r = await accounts.checkOtp({ userId: user.id, purpose: 'register' }, body.code, { maxAttempts: deps.otp.maxAttempts });
      if (r.result !== 'ok') {
        await accounts.audit({ userId: user.id, action: 'verify_failed', ip: ctx.ip, details: { result: r.result } });
        throw otpFailure(r);
      }
      await users.updateUser(user.id, { verified: true });
      await accounts.audit({ userId: user.id, action: 'verified', ip: ctx.ip });
      return { verified: true as const };
    },
  });

  defineRoute(r, deps, doc, {
    method: 'post',
    path: '/v1/auth/otp/resend',
    summary: 'Send a new registration code (cooldown applies)',
    auth: 'none',
    body: S.ResendBody,
    response: S.ResendResponse,
    status: 202,
    errors: [[429, 'resend_cooldown'], [409, 'already_verified']],
    async handler({ body }) {
      const user = await users.getUser(body.userId);
      if (!user) throw new ApiError(404, 'not_found', 'no such registration');
      if (user.verified) throw new ApiError(409, 'already_verified', 'account is already verified');
      const last = await accounts.latestOtp(user.id, 'register');
      const now = deps.clock.now().getTime();
      if (last && now - last.createdAt.getTime() < deps.otp.resendCooldownMs) {
        const wait = Math.ceil((deps.otp.resendCooldownMs - (now - last.createdAt.getTime())) / 1000);
        throw new ApiError(429, 'resend_cooldown', `wait ${wait}s before asking for another code`, { headers: { 'Retry-After': String(wait) } });
      }
      const code = newOtpCode();
      await accounts.createOtp({ userId: user.id, purpose: 'register', method: 'sms', code, ttlMs: deps.otp.ttlMs });
      await deps.sendSms(user, 'resend', code);
      return { sent: true, retryAfterSec: Math.ceil(deps.otp.resendCooldownMs / 1000) };
    },
  });

  defineRoute(r, deps, doc, {
    method: 'post',
    path: '/v1/auth/login',
    summary: 'Password check; answers a second-factor challenge, or a token when none applies',
    auth: 'none',
    body: S.LoginBody,
    response: S.LoginResponse,
    errors: [[401, 'invalid_credentials'], [403, 'not_verified'], [429, 'login_throttled']],
    async handler({ body, ctx }) {
      const login = body.username.toLowerCase();
      await deps.loginFailuresPerIp.check(ctx.ip, 'login_throttled');
      await deps.loginFailures.check(`user:${login}`, 'login_throttled');
      const user = await users.verifyPassword(login, body.password);
      if (!user) {
        await deps.loginFailuresPerIp.consume(ctx.ip, 'login_throttled');
        await deps.loginFailures.consume(`user:${login}`, 'login_throttled');
        const known = await users.findUserByLogin(login);
        await accounts.audit({ userId: known?.id ?? null, action: 'login_failed', ip: ctx.ip });
        throw new ApiError(401, 'invalid_credentials', 'wrong username or password');
      }
      if (!user.verified) throw new ApiError(403, 'not_verified', 'verify the phone number first');
      const totp = await accounts.getTotp(user.id);
      if (totp?.enabled) {
        const c = await accounts.createOtp({ userId: user.id, purpose: 'login', method: 'totp', code: null, ttlMs: deps.otp.ttlMs });
        return { challengeId: c.id, method: 'totp' as const };
      }
      if (user.phone) {
        const code = newOtpCode();
        const c = await accounts.createOtp({ userId: user.id, purpose: 'login', method: 'sms', code, ttlMs: deps.otp.ttlMs });
        await deps.sendSms(user, 'login', code);
        return { challengeId: c.id, method: 'sms' as const };
      }
      // Operator-made accounts without a phone and without TOTP have no second factor to ask for.
      return loggedIn(user.id, 'password', ctx.ip);
    },
  });

  defineRoute(r, deps, doc, {
    method: 'post',
    path: '/v1/auth/login/verify',
    summary: 'Answer the second-factor challenge; returns the token',
    auth: 'none',
    body: S.LoginVerifyBody,
    response: S.TokenResponse,
    errors: [[400, 'otp_invalid'], [400, 'otp_expired'], [429, 'otp_locked']],
    async handler({ body, ctx }) {
      const challenge = await accounts.getOtp(body.challengeId);
      if (!challenge || challenge.purpose !== 'login') throw new ApiError(400, 'otp_invalid', 'no such challenge');
      const totp = challenge.method === 'totp' ? await accounts.getTotp(challenge.userId) : null;
      const r = await accounts.checkOtp({ id: challenge.id }, body.code, {
        maxAttempts: deps.otp.maxAttempts,
        ...(totp ? { verify: async (code: string) => (await verifyTotp({ secret: totp.secret, token: code, epochTolerance: 30 })).valid } : {}),
      });
      if (r.result !== 'ok') {
        await accounts.audit({ userId: challenge.userId, action: 'login_2fa_failed', ip: ctx.ip, details: { result: r.result } });
        throw otpFailure(r);
      }
      const user = await users.getUser(challenge.userId);
      if (!user || user.disabled) throw new ApiError(401, 'invalid_credentials', 'account not available');
      return loggedIn(user.id, challenge.method, ctx.ip);
    },
  });

  defineRoute(r, deps, doc, {
    method: 'post',
    path: '/v1/auth/logout',
    summary: 'Revoke the presented token',
    auth: 'user',
    status: 204,
    async handler({ auth, ctx }) {
      await tokens.revoke(auth.jti);
      await accounts.audit({ userId: auth.userId, action: 'logout', ip: ctx.ip });
    },
  });

  return r;
}
