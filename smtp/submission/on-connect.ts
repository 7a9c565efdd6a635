import type { SMTPServerSession } from 'smtp-server';
import { installEnhancedCodePassthrough } from '../common/enhanced-code-passthrough.js';
import type { SubmissionContext } from './submission-context.js';

export function onConnect(ctx: SubmissionContext) {
  return async (session: SMTPServerSession): Promise<void> => {
    installEnhancedCodePassthrough(ctx.server(), session.id);
    ctx.log.info({ event: 'connect', session: session.id, ip: session.remoteAddress, secure: ctx.opts.secure }, 'connection');
  };
}
