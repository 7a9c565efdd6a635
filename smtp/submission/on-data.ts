import type { SMTPServerDataStream, SMTPServerError, SMTPServerSession } from 'smtp-server';
import { SmtpError, SmtpReplies, type SmtpReply } from '../../domain/index.js';
import { sessionInfo } from '../common/session-info.js';
import { replyText, smtpServerError } from '../common/smtp-error.js';
import type { SubmissionContext, SubmissionUser } from './submission-context.js';

/** Reads DATA into memory up to the cap, reading on (and dropping) past it so the 552 comes after the dot. */
async function readCapped(stream: SMTPServerDataStream, max: number): Promise<{ raw: Buffer | null; size: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= max) chunks.push(chunk);
  }
  return { raw: size <= max ? Buffer.concat(chunks, size) : null, size };
}

/** DATA: the whole submission happens before the reply, so 250 means queued/delivered and committed. */
export function onData(ctx: SubmissionContext) {
  return (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: SMTPServerError | null, message?: string) => void): void => {
    const user = session.user as SubmissionUser;
    const log = ctx.log.child({ session: session.id, user: user.id });
    (async (): Promise<{ reply: SmtpReply; text?: string }> => {
      const { raw, size } = await readCapped(stream, ctx.limits.maxMessageSize);
      // RFC 1870 6.3: over the fixed limit is 552 5.3.4.
      if (!raw) return { reply: SmtpReplies.messageTooBig, text: `size ${size}` };
      const result = await ctx.submitter.submitChecked({
        user,
        envelope: {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((a) => a.address),
        },
        raw,
        session: { ...sessionInfo(session), user },
      });
      return { reply: SmtpReplies.ok, text: `${replyText(SmtpReplies.ok)}: queued as ${result.messageId}` };
    })()
      .catch((err: unknown): { reply: SmtpReply; text?: string } => {
        if (err instanceof SmtpError) return { reply: err.reply };
        log.error({ err }, 'submission failed');
        return { reply: SmtpReplies.tempFailure as SmtpReply };
      })
      .then(({ reply, text }) => {
        ctx.metrics.messages.inc({ code: String(reply.code) });
        log.info({ event: 'data', code: reply.code, enhanced: reply.enhanced }, 'DATA done');
        if (reply.code < 300) callback(null, text ?? replyText(reply));
        else callback(smtpServerError(reply));
      });
  };
}
