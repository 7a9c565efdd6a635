import type { SMTPServerSession } from 'smtp-server';
import { SmtpError, SmtpReplies } from '../../domain/index.js';
import { installEnhancedCodePassthrough } from '../common/enhanced-code-passthrough.js';
import type { MxContext } from './mx-context.js';

/** Per-address connection cap (421, RFC 5321 3.8) before the greeting. */
export function onConnect(ctx: MxContext) {
  return async (session: SMTPServerSession): Promise<void> => {
    installEnhancedCodePassthrough(ctx.server(), session.id);
    if (!(await ctx.connections.admit(session.id, session.remoteAddress))) {
      ctx.metrics.connections.inc({ result: 'refused' });
      ctx.log.warn({ event: 'connect', session: session.id, ip: session.remoteAddress, result: 'too_many_connections' }, 'connection refused');
      throw new SmtpError(SmtpReplies.tooManyConnections);
    }
    ctx.metrics.connections.inc({ result: 'accepted' });
    ctx.metrics.active.inc();
    ctx.log.info({ event: 'connect', session: session.id, ip: session.remoteAddress, host: session.clientHostname }, 'connection');
  };
}
