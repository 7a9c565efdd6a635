import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';
import { SmtpError, SmtpReplies } from '../../domain/index.js';
import type { MxContext } from './mx-context.js';

/**
 * smtp-server has already checked the syntax and refused a SIZE= above the limit (552 5.3.4,
 * RFC 1870 6.1). MX takes mail from anyone: sender policy is the checks' business (SPF/DMARC),
 * and the envelope sender of a bounce is empty (RFC 5321 4.5.5). Only the per-address message
 * rate is enforced here, and intake backpressure: while the parse queue is full the transaction
 * is refused with 451 4.3.2 before any of its data is read (RFC 5321 4.2.5: the sender retries).
 */
export function onMailFrom(ctx: MxContext) {
  return async (address: SMTPServerAddress, session: SMTPServerSession): Promise<void> => {
    const size = address.args ? address.args.SIZE : undefined;
    if (ctx.opts.ingestBusy?.()) {
      ctx.log.warn({ event: 'mail_from', session: session.id, ip: session.remoteAddress, result: 'busy' }, 'MAIL FROM refused: intake saturated');
      throw new SmtpError(SmtpReplies.systemBusy);
    }
    try {
      await ctx.messageRate.take(session.remoteAddress);
    } catch (err) {
      ctx.log.warn({ event: 'mail_from', session: session.id, ip: session.remoteAddress, result: 'rate_limited' }, 'MAIL FROM rate limited');
      throw err;
    }
    ctx.log.info({ event: 'mail_from', session: session.id, from: address.address, size: typeof size === 'string' ? Number(size) : undefined }, 'MAIL FROM');
  };
}
