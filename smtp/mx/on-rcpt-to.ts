import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import { SmtpError, SmtpReplies, type SmtpReply } from '../../domain/index.js';
import { splitAddress } from '../common/address.js';
import type { MxContext } from './mx-context.js';
import { MX_LIMIT_DEFAULTS } from './mx-options.js';

/**
 * Local recipients only: MX never relays and offers no AUTH, so no sender can make it relay
 * (RFC 5321 3.6.2, 7.1). Unknown users are refused here, before DATA, so we never accept mail
 * we would have to bounce. Quota is checked here too, against the size the client declared.
 */
export function onRcptTo(ctx: MxContext) {
  const maxBad = ctx.opts.limits.maxBadRecipients ?? MX_LIMIT_DEFAULTS.maxBadRecipients;

  const refuse = (session: SMTPServerSession, address: string, result: string, reply: SmtpReply): never => {
    ctx.metrics.recipients.inc({ result });
    const bad = (ctx.badRecipients.get(session.id) ?? 0) + 1;
    ctx.badRecipients.set(session.id, bad);
    ctx.log.info({ event: 'rcpt_to', session: session.id, to: address, result, code: reply.code }, 'RCPT TO refused');
    if (reply.code < 500 || bad <= maxBad) throw new SmtpError(reply);
    // 421 makes smtp-server close the session after the reply.
    throw new SmtpError(SmtpReplies.tooManyBadRecipients);
  };

  return async (address: SMTPServerAddress, session: SMTPServerSession): Promise<void> => {
    // RFC 5321 4.1.1.3: "RCPT TO:<Postmaster>" with no domain must be accepted; it means ours.
    const bare = /^postmaster$/i.test(address.address) ? (await ctx.opts.users.listDomains())[0]?.name : undefined;
    const parts = splitAddress(bare ? `postmaster@${bare}` : address.address);
    if (!parts) return refuse(session, address.address, 'invalid', SmtpReplies.badRecipientSyntax);
    if (!(await ctx.opts.users.isLocalDomain(parts.domain))) return refuse(session, address.address, 'relay_denied', SmtpReplies.relayDenied);

    const resolved = await ctx.opts.users.resolveAddress(`${parts.local}@${parts.domain}`);
    if (!resolved) return refuse(session, address.address, 'unknown_user', SmtpReplies.unknownUser);
    const user = await ctx.opts.users.getUser(resolved.userId);
    if (!user) return refuse(session, address.address, 'unknown_user', SmtpReplies.unknownUser);
    if (user.disabled) return refuse(session, address.address, 'disabled', SmtpReplies.mailboxDisabled);

    const declared = Number(session.envelope.mailFrom && session.envelope.mailFrom.args ? session.envelope.mailFrom.args.SIZE : 0) || 0;
    const quota = await ctx.opts.mail.getQuota(resolved.userId);
    // Without a declared SIZE, a full mailbox (used >= limit) still refuses.
    if (quota.limit > 0 && quota.used + Math.max(declared, 1) > quota.limit) {
      // 452, not 552: the user may free space and the sender should retry (RFC 5321 4.5.3.1.10).
      ctx.metrics.recipients.inc({ result: 'quota' });
      ctx.log.info({ event: 'rcpt_to', session: session.id, to: address.address, result: 'quota' }, 'RCPT TO over quota');
      throw new SmtpError(SmtpReplies.mailboxFull);
    }

    ctx.recipients.set(address, { address: address.address, userId: resolved.userId });
    ctx.metrics.recipients.inc({ result: 'accepted' });
    ctx.log.info({ event: 'rcpt_to', session: session.id, to: address.address, result: 'accepted' }, 'RCPT TO');
  };
}
