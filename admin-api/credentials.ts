import type { AccountStore } from '../domain/account-store.js';
import type { User, UserStore } from '../domain/user.js';

export type CredentialVerifier = (login: string, password: string) => Promise<{ user: User; method: 'password' | 'app-password' } | null>;

/**
 * The check IMAP LOGIN/AUTHENTICATE and SMTP AUTH should use (wired in server/): an app password
 * always works; the account password works unless the user turned on `requireAppPasswords` while
 * having a second factor (SMS phone or TOTP), as Gmail does. Disabled and unverified users fail.
 */
export function createCredentialVerifier(deps: { users: UserStore; accounts: AccountStore }): CredentialVerifier {
  return async (login, password) => {
    if (!login || !password || login.length > 254 || password.length > 256) return null;
    const user = await deps.users.findUserByLogin(login);
    if (!user || user.disabled || !user.verified) return null;
    if (await deps.accounts.verifyAppPassword(user.id, password)) return { user, method: 'app-password' };
    const prefs = await deps.accounts.getPreferences(user.id);
    if (prefs.requireAppPasswords) {
      const totp = await deps.accounts.getTotp(user.id);
      if (user.phone || totp?.enabled) return null;
    }
    const ok = await deps.users.verifyPassword(login, password);
    return ok ? { user: ok, method: 'password' } : null;
  };
}
