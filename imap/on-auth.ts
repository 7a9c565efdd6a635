import type { HookDeps } from './deps.js';
import type { AuthRequest, ImapSession } from './types.js';

/**
 * LOGIN and AUTHENTICATE PLAIN (RFC 3501 6.2.3, RFC 4616): full address or username plus the
 * account password or an app password (deps.verifyLogin). Answering with no user makes imap-core reply `NO [AUTHENTICATIONFAILED]`
 * (RFC 5530). imap-core itself refuses both before STARTTLS on the plain port (LOGINDISABLED).
 */
export function createOnAuth(deps: HookDeps) {
  return async (login: AuthRequest, session: ImapSession): Promise<unknown[]> => {
    const username = String(login.username ?? '').slice(0, 320);
    const password = String(login.password ?? '');
    if (!username || !password || password.length > 1024) {
      deps.metrics.authFailures.inc();
      return [];
    }
    const user = await deps.verifyLogin(username, password);
    if (!user || user.disabled) {
      deps.metrics.authFailures.inc();
      deps.logger.info({ cid: session.id, ip: session.remoteAddress, login: username, event: 'auth_failed' }, 'imap login failed');
      return [];
    }
    deps.logger.info({ cid: session.id, ip: session.remoteAddress, userId: user.id, event: 'auth' }, 'imap login');
    return [{ user: { id: user.id, username: user.address } }];
  };
}
