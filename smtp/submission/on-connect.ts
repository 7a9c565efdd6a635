import type { SMTPServerSession } from 'smtp-server';
import { SmtpError, SmtpReplies } from '../../domain/index.js';
import { installEnhancedCodePassthrough } from '../common/enhanced-code-passthrough.js';
import type { SubmissionContext } from './submission-context.js';

/** Per-address connection cap before the greeting (421, RFC 5321 3.8), as on the MX. */
export function onConnect(ctx: SubmissionContext) {
  return async (session: SMTPServerSession): Promise<void> => {
    installEnhancedCodePassthrough(ctx.server(), session.id);
    if (!(await ctx.connections.admit(session.id, session.remoteAddress))) {
      ctx.log.warn({ event: 'connect', session: session.id, ip: session.remoteAddress, result: 'too_many_connections' }, 'connection refused');
      throw new SmtpError(SmtpReplies.tooManyConnections);
    }
    ctx.log.info({ event: 'connect', session: session.id, ip: session.remoteAddress, secure: ctx.opts.secure }, 'connection');
  };
}
