import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import type { SubmissionContext, SubmissionUser } from './submission-context.js';

/**
 * Authenticated users may relay (RFC 6409 4.3), but unknown users of our own domains are refused
 * here (550 5.1.1) rather than bounced later; every recipient counts against the hourly limit.
 */
export function onRcptTo(ctx: SubmissionContext) {
  return async (address: SMTPServerAddress, session: SMTPServerSession): Promise<void> => {
    const user = session.user as SubmissionUser;
    try {
      await ctx.submitter.classify([address.address]);
    } catch (err) {
      ctx.log.info({ event: 'rcpt_to', session: session.id, to: address.address, result: 'refused' }, 'RCPT TO refused');
      throw err;
    }
    await ctx.submitter.limits.recipients(user.id, 1);
    ctx.log.info({ event: 'rcpt_to', session: session.id, to: address.address }, 'RCPT TO');
  };
}
