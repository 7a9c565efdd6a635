import Router from '@koa/router';
import type { OtpCheck } from '../../domain/account-store.js';
import type { SecondFactorOutcome } from '../../domain/login-policy.js';
import { isStoreError } from '../../domain/errors.js';
import { newOtpCode } from '../../auth/otp-code.js';
import type { GuardResult } from '../../auth/sms-guard.js';
import { ApiError } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/auth.js';

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

const retryAfter = (ms: number | undefined): { headers?: Record<string, string> } =>
  ms && ms > 0 ? { headers: { 'Retry-After': String(Math.ceil(ms / 1000)) } } : {};

function throttledError(code: string, message: string, retryAfterMs?: number): ApiError {
  return new ApiError(429, code, message, retryAfter(retryAfterMs));
}

/** An SMS the spend limits refused: bad or disallowed numbers are 400, spent budgets 429. */
function smsRefused(r: Exclude<GuardResult, { ok: true }>): ApiError {
  switch (r.reason) {
    case 'phone_invalid':
      return new ApiError(400, 'phone_invalid', 'phone must be E.164, e.g. +15551234567');
    case 'phone_not_allowed':
      return new ApiError(400, 'phone_not_allowed', 'SMS cannot be sent to this country');
    case 'global_cap':
      return throttledError('sms_unavailable', 'no more SMS can be sent today; try again later', r.retryAfterMs);
    case 'limited':
      return throttledError('sms_limited', 'too many codes sent; try again later', r.retryAfterMs);
  }
}

function secondFactorFailure(r: Exclude<SecondFactorOutcome, { ok: true }>): ApiError {
  switch (r.reason) {
    case 'invalid':
      return otpFailure({ result: 'invalid', attemptsLeft: r.attemptsLeft ?? 0 });
    case 'expired':
    case 'locked':
      return otpFailure({ result: r.reason });
    case 'not_found':
      return new ApiError(400, 'otp_invalid', 'no such challenge');
    case 'second_factor_locked':
      return throttledError('second_factor_locked', 'too many wrong codes on this account; second-factor login is locked for a while', r.retryAfterMs);
    case 'disabled':
      return new ApiError(401, 'invalid_credentials', 'account not available');
  }
}

/** Registration with SMS OTP, login with a second factor, logout. Every check is the login policy's (auth/). */
export function authRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const { users, accounts, tokens, loginPolicy, smsGuard } = deps;
  /** A completed login, whichever factor finished it: a token and an audit entry. */
  const loggedIn = async (userId: string, factor: string, ip: string) => {
    const t = await tokens.issue(userId);
    await accounts.audit({ userId, action: 'login', ip, details: { factor, protocol: 'api' } });
    return { token: t.token, expiresAt: t.expiresAt.toISOString() };
  };

  defineRoute(r, deps, doc, {
    method: 'post',
    path: '/v1/auth/register',
    summary: 'Register; a 6-digit code is sent by SMS (limits per IP and phone apply)',
    auth: 'none',
    body: S.RegisterBody,
    response: S.RegisterResponse,
    status: 201,
    errors: [[409, 'username_taken'], [400, 'phone_not_allowed'], [429, 'registration_limited'], [429, 'sms_limited'], [429, 'sms_unavailable']],
    async handler({ body, ctx }) {
      const reg = await smsGuard.registration(ctx.ip);
      if (!reg.ok) throw throttledError('registration_limited', 'too many registrations from your address; try again later', reg.retryAfterMs);
      const phone = smsGuard.checkPhone(body.phone);
      if (phone !== 'ok') throw smsRefused({ ok: false, reason: phone });
      const address = `${body.username}@${deps.primaryDomain}`;
      if (await users.findUserByLogin(body.username)) throw new ApiError(409, 'username_taken', 'that username is taken');
      // Charged before the account exists, so a refused SMS leaves no half-made account behind.
      const sms = await smsGuard.take({ phone: body.phone, ip: ctx.ip, purpose: 'register' });
      if (!sms.ok) throw smsRefused(sms);
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
      const otp = await accounts.createOtp({ userId: user.id, purpose: 'register', method: 'sms', code, ttlMs: deps.otp.ttlMs });
      await accounts.audit({ userId: user.id, action: 'register', ip: ctx.ip });
      await deps.sendSms(user, 'registration', code);
      // The page shows when the code runs out and when a new one may be asked for.
      return { userId: user.id, address: user.address, verified: false as const, codeExpiresAt: otp.expiresAt.toISOString(), resendAfterSec: Math.ceil(deps.otp.resendCooldownMs / 1000) };
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
    summary: 'Send a new registration code (cooldown and SMS limits apply)',
    auth: 'none',
    body: S.ResendBody,
    response: S.ResendResponse,
    status: 202,
    errors: [[429, 'resend_cooldown'], [409, 'already_verified'], [429, 'sms_limited'], [429, 'sms_unavailable']],
    async handler({ body, ctx }) {
      const user = await users.getUser(body.userId);
      if (!user) throw new ApiError(404, 'not_found', 'no such registration');
      if (user.verified) throw new ApiError(409, 'already_verified', 'account is already verified');
      const last = await accounts.latestOtp(user.id, 'register');
      const now = deps.clock.now().getTime();
      if (last && now - last.createdAt.getTime() < deps.otp.resendCooldownMs) {
        const wait = Math.ceil((deps.otp.resendCooldownMs - (now - last.createdAt.getTime())) / 1000);
        throw new ApiError(429, 'resend_cooldown', `wait ${wait}s before asking for another code`, { headers: { 'Retry-After': String(wait) } });
      }
      const sms = await smsGuard.take({ phone: user.phone ?? '', ip: ctx.ip, userId: user.id, purpose: 'resend' });
      if (!sms.ok) throw smsRefused(sms);
      const code = newOtpCode();
      const otp = await accounts.createOtp({ userId: user.id, purpose: 'register', method: 'sms', code, ttlMs: deps.otp.ttlMs });
      await deps.sendSms(user, 'resend', code);
      return { sent: true, retryAfterSec: Math.ceil(deps.otp.resendCooldownMs / 1000), codeExpiresAt: otp.expiresAt.toISOString() };
    },
  });

  defineRoute(r, deps, doc, {
    method: 'post',
    path: '/v1/auth/login',
    summary: 'Password check; answers a second-factor challenge, or a token when none applies',
    auth: 'none',
    body: S.LoginBody,
    response: S.LoginResponse,
    errors: [[401, 'invalid_credentials'], [403, 'not_verified'], [403, 'account_disabled'], [429, 'login_throttled'], [429, 'second_factor_locked'], [429, 'sms_limited']],
    async handler({ body, ctx }) {
      const out = await loginPolicy.passwordLogin({ login: body.username, password: body.password, ip: ctx.ip, protocol: 'api' });
      if (!out.ok) {
        switch (out.reason) {
          case 'throttled':
            throw throttledError('login_throttled', 'too many failed logins; try again later', out.retryAfterMs);
          case 'second_factor_locked':
            throw throttledError('second_factor_locked', 'too many wrong codes on this account; second-factor login is locked for a while', out.retryAfterMs);
          case 'not_verified':
            throw new ApiError(403, 'not_verified', 'verify the phone number first');
          case 'disabled':
            throw new ApiError(403, 'account_disabled', 'account is disabled');
          default:
            throw new ApiError(401, 'invalid_credentials', 'wrong username or password');
        }
      }
      // Operator-made accounts without a phone and without TOTP have no second factor to ask for.
      if (!out.secondFactor) return loggedIn(out.user.id, 'password', ctx.ip);
      const c = await loginPolicy.startSecondFactor(out.user, ctx.ip);
      if (!c.ok) {
        if (c.reason === 'second_factor_locked') throw throttledError('second_factor_locked', 'second-factor login is locked for a while', c.retryAfterMs);
        throw throttledError('sms_limited', 'too many codes sent; try again later', c.retryAfterMs);
      }
      return { challengeId: c.challengeId, method: c.method };
    },
  });

  defineRoute(r, deps, doc, {
    method: 'post',
    path: '/v1/auth/login/verify',
    summary: 'Answer the second-factor challenge; returns the token',
    auth: 'none',
    body: S.LoginVerifyBody,
    response: S.TokenResponse,
    errors: [[400, 'otp_invalid'], [400, 'otp_expired'], [429, 'otp_locked'], [429, 'second_factor_locked']],
    async handler({ body, ctx }) {
      const out = await loginPolicy.verifySecondFactor({ challengeId: body.challengeId, code: body.code, ip: ctx.ip });
      if (!out.ok) throw secondFactorFailure(out);
      return loggedIn(out.user.id, out.method, ctx.ip);
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
