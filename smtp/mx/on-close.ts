import type { SMTPServerSession } from 'smtp-server';
import type { MxContext } from './mx-context.js';

export function onClose(ctx: MxContext) {
  return (session: SMTPServerSession): void => {
    if (ctx.connections.release(session.id)) ctx.metrics.active.dec();
    ctx.badRecipients.delete(session.id);
    ctx.log.info({ event: 'close', session: session.id, ip: session.remoteAddress }, 'connection closed');
  };
}
