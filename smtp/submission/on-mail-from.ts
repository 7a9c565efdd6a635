import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import { assertOwnsSender } from './owned-addresses.js';
import type { SubmissionContext, SubmissionUser } from './submission-context.js';

/** The envelope sender must be the user's (553 5.7.1); each transaction counts against the hourly limit. */
export function onMailFrom(ctx: SubmissionContext) {
  return async (address: SMTPServerAddress, session: SMTPServerSession): Promise<void> => {
    const user = session.user as SubmissionUser;
    try {
      await assertOwnsSender(ctx.opts.users, user.id, address.address, null);
    } catch (err) {
      ctx.log.info({ event: 'mail_from', session: session.id, user: user.id, from: address.address, result: 'not_owned' }, 'MAIL FROM refused');
      throw err;
    }
    await ctx.submitter.limits.message(user.id);
    ctx.log.info({ event: 'mail_from', session: session.id, user: user.id, from: address.address }, 'MAIL FROM');
  };
}
