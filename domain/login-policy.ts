import type { User } from './user.js';
import type { SecondFactor } from './account-store.js';

export type LoginProtocol = 'imap' | 'smtp' | 'api' | 'web';

export interface LoginRequest {
  /** Username or any address of the user. */
  login: string;
  password: string;
  /** The client's address, for per-IP throttling and the audit log. */
  ip: string;
  protocol: LoginProtocol;
}

/** Why a login was refused. Protocols answer all but `throttled` with the same text (no enumeration). */
export type LoginRefusal = 'invalid' | 'throttled' | 'disabled' | 'not_verified' | 'app_password_required';

export type LoginOutcome =
  | { ok: true; user: User; method: 'password' | 'app-password' }
  | { ok: false; reason: LoginRefusal; retryAfterMs?: number };

/** The API's first step: the account password, then which second factor (if any) to ask for. */
export type PasswordOutcome =
  | { ok: true; user: User; secondFactor: SecondFactor | null }
  | { ok: false; reason: LoginRefusal | 'second_factor_locked'; retryAfterMs?: number };

export type ChallengeOutcome =
  | { ok: true; challengeId: string; method: SecondFactor }
  /** SMS limits (per phone, account, IP, global cap) or the second factor is locked. */
  | { ok: false; reason: 'sms_limited' | 'second_factor_locked'; retryAfterMs?: number };

export type SecondFactorOutcome =
  | { ok: true; user: User; method: SecondFactor }
  | { ok: false; reason: 'invalid' | 'expired' | 'not_found' | 'locked' | 'second_factor_locked' | 'disabled'; attemptsLeft?: number; retryAfterMs?: number };

/**
 * The one login policy (issue 9): password and app-password rules, verified/disabled checks,
 * failure throttling per account and per IP (growing delays, then a temporary lock), second-factor
 * attempts counted per account across challenges, all audit-logged. IMAP, SMTP AUTH and the API
 * call it; none of them checks a password on its own.
 */
export interface LoginPolicy {
  /** IMAP LOGIN/AUTHENTICATE, SMTP AUTH: app password, or the account password unless the user requires app passwords. */
  protocolLogin(req: LoginRequest): Promise<LoginOutcome>;
  /** API step 1: the account password only. */
  passwordLogin(req: LoginRequest): Promise<PasswordOutcome>;
  /** API step 2a: a challenge for the user's second factor (sends the SMS, within the SMS limits). */
  startSecondFactor(user: User, ip: string): Promise<ChallengeOutcome>;
  /** API step 2b: the code; wrong codes count per account across challenges. */
  verifySecondFactor(req: { challengeId: string; code: string; ip: string }): Promise<SecondFactorOutcome>;
}

/** Tells a user about a security event (second factor locked, account locked); never throws. */
export interface SecurityNotifier {
  notify(user: User, event: { kind: 'second_factor_locked' | 'login_locked'; ip: string; until: Date }): Promise<void>;
}
