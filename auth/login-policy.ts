import { verify as verifyTotpCode } from 'otplib';
import type { Logger } from 'pino';
import type {
  AccountStore,
  CounterFactory,
  LoginOutcome,
  LoginPolicy,
  LoginRequest,
  PasswordOutcome,
  SecurityNotifier,
  User,
  UserStore,
} from '../domain/index.js';
import { newOtpCode } from './otp-code.js';
import { statusRefusal } from './password-only-policy.js';
import { createFailureThrottle, type FailureThrottle } from './throttle.js';
import { createSecondFactorGuard } from './second-factor-guard.js';
import { DEFAULT_ACCOUNT_THROTTLE, DEFAULT_IP_THROTTLE, DEFAULT_SECOND_FACTOR, type SecondFactorSettings, type ThrottleSettings } from './settings.js';
import type { SmsGuard } from './sms-guard.js';

export interface LoginPolicyOptions {
  users: UserStore;
  accounts: AccountStore;
  counters: CounterFactory;
  smsGuard: SmsGuard;
  /** Sends the login code (admin-api renders the template); must not throw. */
  sendLoginSms(user: User, code: string): Promise<void>;
  notifier?: SecurityNotifier;
  logger: Logger;
  otp: { ttlMs: number; maxAttempts: number };
  account?: Partial<ThrottleSettings>;
  ip?: Partial<ThrottleSettings>;
  secondFactor?: Partial<SecondFactorSettings>;
  now?: () => number;
}

const MAX_LOGIN = 320;
const MAX_PASSWORD = 1024;

/** Unknown logins are throttled under their own name, so they behave exactly like real accounts. */
function accountKey(login: string, user: User | null): string {
  return user ? `u:${user.id}` : `l:${login.trim().toLowerCase().slice(0, MAX_LOGIN)}`;
}

/**
 * The login policy of issue 9, shared by IMAP, SMTP AUTH and the API. Order of checks: client
 * IP not throttled -> account not throttled -> credential -> disabled / verified. Status checks
 * come after the credential so that a wrong password never tells whether an account exists.
 */
export function createLoginPolicy(opts: LoginPolicyOptions): LoginPolicy {
  const now = opts.now ?? Date.now;
  const log = opts.logger.child({ component: 'login-policy' });
  const accountThrottle: FailureThrottle = createFailureThrottle(opts.counters, 'login-acct', { ...DEFAULT_ACCOUNT_THROTTLE, ...opts.account }, now);
  const ipThrottle: FailureThrottle = createFailureThrottle(opts.counters, 'login-ip', { ...DEFAULT_IP_THROTTLE, ...opts.ip }, now);
  const secondFactor = createSecondFactorGuard({
    counters: opts.counters,
    settings: { ...DEFAULT_SECOND_FACTOR, ...opts.secondFactor },
    accounts: opts.accounts,
    logger: log,
    now,
    ...(opts.notifier ? { notifier: opts.notifier } : {}),
  });
  const { users, accounts } = opts;

  const audit = (userId: string | null, action: string, ip: string, details: Record<string, unknown>) =>
    accounts.audit({ userId, action, ip, details }).catch((err: unknown) => log.error({ err, action }, 'audit write failed'));

  /** The throttles that refuse this attempt before any password is looked at. */
  async function gate(req: LoginRequest): Promise<{ user: User | null; key: string; refusal?: { retryAfterMs: number } }> {
    const ipState = await ipThrottle.check(req.ip);
    if (!ipState.allowed) return { user: null, key: '', refusal: { retryAfterMs: ipState.retryAfterMs } };
    const user = await users.findUserByLogin(req.login);
    const key = accountKey(req.login, user);
    const acct = await accountThrottle.check(key);
    if (!acct.allowed) return { user, key, refusal: { retryAfterMs: acct.retryAfterMs } };
    return { user, key };
  }

  async function failed(req: LoginRequest, user: User | null, key: string): Promise<void> {
    const [a, i] = await Promise.all([accountThrottle.failed(key), ipThrottle.failed(req.ip)]);
    await audit(user?.id ?? null, 'login_failed', req.ip, { protocol: req.protocol, failures: a.failures });
    if (a.locked) {
      await audit(user?.id ?? null, 'login_locked', req.ip, { protocol: req.protocol, until: a.lockedUntil?.toISOString() });
      log.warn({ event: 'login_locked', userId: user?.id, ip: req.ip }, 'account login locked after repeated failures');
      if (user && a.lockedUntil) await opts.notifier?.notify(user, { kind: 'login_locked', ip: req.ip, until: a.lockedUntil });
    }
    if (i.locked) {
      await audit(null, 'ip_locked', req.ip, { protocol: req.protocol, until: i.lockedUntil?.toISOString() });
      log.warn({ event: 'ip_locked', ip: req.ip }, 'client address locked after repeated login failures');
    }
  }

  const throttled = (req: LoginRequest, user: User | null, retryAfterMs: number) => {
    log.info({ event: 'login_throttled', protocol: req.protocol, ip: req.ip, userId: user?.id }, 'login refused: throttled');
    return { ok: false as const, reason: 'throttled' as const, retryAfterMs };
  };

  const saneInput = (req: LoginRequest) =>
    typeof req.login === 'string' && typeof req.password === 'string' && req.login.length > 0 && req.password.length > 0 &&
    req.login.length <= MAX_LOGIN && req.password.length <= MAX_PASSWORD && !/[\0\r\n]/.test(req.login);

  async function hasSecondFactor(user: User): Promise<boolean> {
    if (user.phone) return true;
    return (await accounts.getTotp(user.id))?.enabled ?? false;
  }

  return {
    async protocolLogin(req): Promise<LoginOutcome> {
      if (!saneInput(req)) {
        await ipThrottle.failed(req.ip);
        return { ok: false, reason: 'invalid' };
      }
      const g = await gate(req);
      if (g.refusal) return throttled(req, g.user, g.refusal.retryAfterMs);
      const user = g.user;
      let method: 'password' | 'app-password' | null = null;
      if (user && (await accounts.verifyAppPassword(user.id, req.password))) method = 'app-password';
      else {
        const ok = await users.verifyPassword(req.login, req.password);
        if (ok && user && ok.id === user.id) {
          // Gmail-like: with a second factor on and "app passwords only" set, the account password is not enough.
          const appOnly = (await accounts.getPreferences(user.id)).requireAppPasswords;
          if (appOnly && (await hasSecondFactor(user))) return { ok: false, reason: 'app_password_required' };
          method = 'password';
        }
      }
      if (!method || !user) {
        // verifyPassword also refuses disabled users: count that like a wrong password.
        await failed(req, user, g.key);
        return { ok: false, reason: 'invalid' };
      }
      const refusal = statusRefusal(user);
      if (refusal) return { ok: false, reason: refusal };
      await accountThrottle.succeeded(g.key);
      await audit(user.id, 'login', req.ip, { protocol: req.protocol, method });
      return { ok: true, user, method };
    },

    async passwordLogin(req): Promise<PasswordOutcome> {
      if (!saneInput(req)) {
        await ipThrottle.failed(req.ip);
        return { ok: false, reason: 'invalid' };
      }
      const g = await gate(req);
      if (g.refusal) return throttled(req, g.user, g.refusal.retryAfterMs);
      const ok = await users.verifyPassword(req.login, req.password);
      if (!ok || !g.user || ok.id !== g.user.id) {
        await failed(req, g.user, g.key);
        return { ok: false, reason: 'invalid' };
      }
      const user = ok;
      const refusal = statusRefusal(user);
      if (refusal) return { ok: false, reason: refusal };
      await accountThrottle.succeeded(g.key);
      const totp = await accounts.getTotp(user.id);
      const factor = totp?.enabled ? 'totp' : user.phone ? 'sms' : null;
      if (factor) {
        const lock = await secondFactor.locked(user.id);
        if (lock) return { ok: false, reason: 'second_factor_locked', retryAfterMs: lock.retryAfterMs };
      }
      return { ok: true, user, secondFactor: factor };
    },

    async startSecondFactor(user, ip) {
      const lock = await secondFactor.locked(user.id);
      if (lock) return { ok: false, reason: 'second_factor_locked', retryAfterMs: lock.retryAfterMs };
      const totp = await accounts.getTotp(user.id);
      if (totp?.enabled) {
        const c = await accounts.createOtp({ userId: user.id, purpose: 'login', method: 'totp', code: null, ttlMs: opts.otp.ttlMs });
        return { ok: true, challengeId: c.id, method: 'totp' };
      }
      const allowed = await opts.smsGuard.take({ phone: user.phone ?? '', ip, userId: user.id, purpose: 'login' });
      if (!allowed.ok) {
        await audit(user.id, 'sms_refused', ip, { reason: allowed.reason, purpose: 'login' });
        return { ok: false, reason: 'sms_limited', ...(allowed.retryAfterMs !== undefined ? { retryAfterMs: allowed.retryAfterMs } : {}) };
      }
      const code = newOtpCode();
      const c = await accounts.createOtp({ userId: user.id, purpose: 'login', method: 'sms', code, ttlMs: opts.otp.ttlMs });
      await opts.sendLoginSms(user, code);
      return { ok: true, challengeId: c.id, method: 'sms' };
    },

    async verifySecondFactor(req) {
      const challenge = typeof req.challengeId === 'string' && req.challengeId.length <= 64 ? await accounts.getOtp(req.challengeId) : null;
      if (!challenge || challenge.purpose !== 'login') return { ok: false, reason: 'not_found' };
      const lock = await secondFactor.locked(challenge.userId);
      if (lock) return { ok: false, reason: 'second_factor_locked', retryAfterMs: lock.retryAfterMs };
      const totp = challenge.method === 'totp' ? await accounts.getTotp(challenge.userId) : null;
      const r = await accounts.checkOtp({ id: challenge.id }, req.code, {
        maxAttempts: opts.otp.maxAttempts,
        ...(totp ? { verify: async (code: string) => (await verifyTotpCode({ secret: totp.secret, token: code, epochTolerance: 30 })).valid } : {}),
      });
      if (r.result !== 'ok') {
        await audit(challenge.userId, 'login_2fa_failed', req.ip, { result: r.result, method: challenge.method });
        // Expired and spent challenges are not guesses; wrong codes count across every challenge.
        if (r.result === 'invalid' || r.result === 'locked') {
          const user = await users.getUser(challenge.userId);
          await secondFactor.failed(challenge.userId, user, req.ip);
          await ipThrottle.failed(req.ip);
        }
        return r.result === 'invalid' ? { ok: false, reason: 'invalid', attemptsLeft: r.attemptsLeft } : { ok: false, reason: r.result };
      }
      const user = await users.getUser(challenge.userId);
      if (!user || user.disabled) return { ok: false, reason: 'disabled' };
      await secondFactor.succeeded(user.id);
      return { ok: true, user, method: challenge.method };
    },
  };
}
