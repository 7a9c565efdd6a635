import type { LoginPolicy, User, UserStore } from '../domain/index.js';

/** Why a user whose credential was right may still not log in (issue 9: every protocol asks this one place). */
export function statusRefusal(user: User): 'disabled' | 'not_verified' | null {
  if (user.disabled) return 'disabled';
  if (!user.verified) return 'not_verified';
  return null;
}

/**
 * The login policy cut down to the account password, for a listener built without the real one
 * (unit tests and benches of IMAP and SMTP; server/ always wires createLoginPolicy): the same
 * credential and status rules, without throttling, app passwords or a second factor.
 */
export function createPasswordOnlyPolicy(users: Pick<UserStore, 'verifyPassword'>): LoginPolicy {
  const refused = async (): Promise<never> => {
    throw new Error('only protocolLogin is available here');
  };
  return {
    async protocolLogin(req) {
      const user = await users.verifyPassword(req.login, req.password);
      if (!user) return { ok: false, reason: 'invalid' };
      const refusal = statusRefusal(user);
      return refusal ? { ok: false, reason: refusal } : { ok: true, user, method: 'password' };
    },
    passwordLogin: refused,
    startSecondFactor: refused,
    verifySecondFactor: refused,
  };
}
