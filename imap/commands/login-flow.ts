/**
 * The end of LOGIN and AUTHENTICATE: the one login policy decides (issue 9: password or app
 * password, throttling per account and per IP), then the per-user session cap.
 */
import type { CommandResult } from '../session/command-spec.js';
import type { ImapDeps } from '../session/deps.js';
import { ImapCodes, ImapNo } from '../session/imap-error.js';
import type { Session } from '../session/session.js';

/** RFC 3501 6.2.3: no plain-text password before TLS (LOGINDISABLED). */
export function requireTls(session: Session): void {
  if (session.ctx.loginNeedsTls && !session.tls) throw new ImapNo(ImapCodes.privacyRequired, 'Use STARTTLS before logging in');
}

export async function completeLogin(session: Session, deps: ImapDeps, login: string, password: string): Promise<CommandResult> {
  const outcome = await deps.loginPolicy.protocolLogin({ login, password, ip: session.remoteAddress, protocol: 'imap' });
  if (!outcome.ok) {
    deps.metrics.authFailures.inc();
    session.log.info({ event: 'auth_failed', login: login.slice(0, 100), reason: outcome.reason }, 'imap login failed');
    if (outcome.reason === 'throttled') throw new ImapNo(ImapCodes.unavailable, 'Too many failed logins; try again later');
    // One text for every refusal, so a failure never tells whether the account exists (RFC 5530).
    throw new ImapNo(ImapCodes.authenticationFailed, 'Authentication failed');
  }
  const user = outcome.user;
  if (session.ctx.hub.count(user.id) >= deps.limits.maxConnectionsPerUser) {
    throw new ImapNo(ImapCodes.limit, 'Too many connections for this account');
  }
  const appPasswords = outcome.method === 'app-password' ? await session.ctx.accountWatch.appPasswordsAtLogin(user.id) : null;
  session.authenticated(user, login, appPasswords);
  session.log.info({ event: 'auth', userId: user.id, method: outcome.method }, 'imap login');
  // RFC 3501 7.1: the capabilities change at login; sending them saves the client a round trip.
  return { code: 'CAPABILITY', codeData: session.capabilities().join(' '), text: 'Logged in' };
}
