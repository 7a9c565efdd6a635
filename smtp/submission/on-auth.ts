import type { SMTPServerAuthentication, SMTPServerAuthenticationResponse, SMTPServerSession } from 'smtp-server';
import { SmtpError, type User } from '../../domain/index.js';
import { SUBMISSION_REPLIES } from './rate-limits.js';
import type { SubmissionContext, SubmissionUser } from './submission-context.js';

/**
 * AUTH PLAIN / LOGIN (RFC 4954, RFC 4616). smtp-server itself refuses AUTH before STARTTLS on
 * 587 (538) since allowInsecureAuth is off (RFC 6409 4.3 wants the session protected). The
 * account password works unless the user asked for app passwords only; app passwords always do.
 * Failures count per client address; too many give 454 for a while.
 */
export function onAuth(ctx: SubmissionContext) {
  const { users, verifyAppPassword, preferences } = ctx.opts;

  async function check(login: string, password: string): Promise<User | null> {
    const user = await users.findUserByLogin(login);
    if (!user || user.disabled) return null;
    const appOnly = preferences ? (await preferences.getPreferences(user.id)).requireAppPasswords : false;
    if (!appOnly) {
      const ok = await users.verifyPassword(login, password);
      if (ok) return ok;
    }
    if (verifyAppPassword && (await verifyAppPassword(user.id, password))) return user;
    return null;
  }

  return async (auth: SMTPServerAuthentication, session: SMTPServerSession): Promise<SMTPServerAuthenticationResponse> => {
    const ip = session.remoteAddress;
    await ctx.submitter.limits.checkAuthAllowed(ip).catch((err: unknown) => {
      ctx.metrics.auth.inc({ result: 'throttled' });
      throw err;
    });
    const login = String(auth.username ?? '').slice(0, 320);
    const password = String(auth.password ?? '').slice(0, 1024);
    const verify = ctx.opts.verifyLogin ?? check;
    const user = login && password && !/[\0\r\n]/.test(login) ? await verify(login, password) : null;
    if (!user) {
      await ctx.submitter.limits.authFailed(ip);
      ctx.metrics.auth.inc({ result: 'failed' });
      ctx.log.info({ event: 'auth', session: session.id, ip, method: auth.method, result: 'failed' }, 'AUTH failed');
      throw new SmtpError(SUBMISSION_REPLIES.authFailed);
    }
    ctx.metrics.auth.inc({ result: 'ok' });
    ctx.log.info({ event: 'auth', session: session.id, ip, method: auth.method, user: user.id, result: 'ok' }, 'AUTH ok');
    const sessionUser: SubmissionUser = { id: user.id, address: user.address };
    return { user: sessionUser };
  };
}
