import type { SMTPServerAuthentication, SMTPServerAuthenticationResponse, SMTPServerSession } from 'smtp-server';
import { SmtpError, type LoginOutcome, type LoginRequest } from '../../domain/index.js';
import { createPasswordOnlyPolicy } from '../../auth/password-only-policy.js';
import { SUBMISSION_REPLIES } from './rate-limits.js';
import type { SubmissionContext, SubmissionUser } from './submission-context.js';

/**
 * Without the login policy (unit tests that build a bare listener): auth/'s password-only
 * policy (the same credential and status rules), with the per-address failure limit. server/
 * always passes the real policy.
 */
function bareLogin(ctx: SubmissionContext) {
  const policy = createPasswordOnlyPolicy(ctx.opts.users);
  return async (req: LoginRequest): Promise<LoginOutcome> => {
    try {
      await ctx.submitter.limits.checkAuthAllowed(req.ip);
    } catch {
      return { ok: false, reason: 'throttled' };
    }
    const out = await policy.protocolLogin(req);
    if (!out.ok) await ctx.submitter.limits.authFailed(req.ip);
    return out;
  };
}

/**
 * AUTH PLAIN / LOGIN (RFC 4954, RFC 4616). smtp-server itself refuses AUTH before STARTTLS on
 * 587 (538) since allowInsecureAuth is off (RFC 6409 4.3 wants the session protected). Every
 * decision is the login policy's (auth/): app passwords, "app passwords only", verified and
 * disabled users, failure throttling per account and per IP. A throttled login gets 454 4.7.0
 * (temporary, RFC 4954 6), a password where an app password is required 534 5.7.9, every
 * other refusal the same 535 5.7.8.
 */
export function onAuth(ctx: SubmissionContext) {
  const login = ctx.opts.loginPolicy ? (req: LoginRequest) => ctx.opts.loginPolicy!.protocolLogin(req) : bareLogin(ctx);

  return async (auth: SMTPServerAuthentication, session: SMTPServerSession): Promise<SMTPServerAuthenticationResponse> => {
    const ip = session.remoteAddress;
    const out = await login({ login: String(auth.username ?? ''), password: String(auth.password ?? ''), ip, protocol: 'smtp' });
    if (!out.ok) {
      const throttled = out.reason === 'throttled';
      ctx.metrics.auth.inc({ result: throttled ? 'throttled' : 'failed' });
      ctx.log.info({ event: 'auth', session: session.id, ip, method: auth.method, result: out.reason }, 'AUTH refused');
      if (out.reason === 'app_password_required') throw new SmtpError(SUBMISSION_REPLIES.appPasswordRequired);
      throw new SmtpError(throttled ? SUBMISSION_REPLIES.authThrottled : SUBMISSION_REPLIES.authFailed);
    }
    ctx.metrics.auth.inc({ result: 'ok' });
    ctx.log.info({ event: 'auth', session: session.id, ip, method: auth.method, user: out.user.id, via: out.method, result: 'ok' }, 'AUTH ok');
    const sessionUser: SubmissionUser = { id: out.user.id, address: out.user.address };
    return { user: sessionUser };
  };
}
