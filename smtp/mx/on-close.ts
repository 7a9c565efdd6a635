import type { SMTPServerSession } from 'smtp-server';
import type { MxContext } from './mx-context.js';

export function onClose(ctx: MxContext) {
  return (session: SMTPServerSession): void => {
    const counted = ctx.limiter.open;
    ctx.limiter.release(session.id);
    if (ctx.limiter.open < counted) ctx.metrics.active.dec();
    ctx.badRecipients.delete(session.id);
    ctx.log.info({ event: 'close', session: session.id, ip: session.remoteAddress }, 'connection closed');
  };
}
