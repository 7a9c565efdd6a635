import { randomBytes } from 'node:crypto';
import type { SMTPServerDataStream, SMTPServerError, SMTPServerSession } from 'smtp-server';
import { SmtpReplies, type SmtpReply } from '../../domain/index.js';
import { removeSpool, spoolToFile } from '../../mail/spool/spool-file.js';
import { replyText, smtpServerError } from '../common/smtp-error.js';
import { sessionInfo } from '../common/session-info.js';
import type { MxContext } from './mx-context.js';
import { checkHeaderBlock } from '../../mail/mime/header-check.js';
import { readHead } from './read-head.js';
import { MX_LIMIT_DEFAULTS, MX_SPOOL_PREFIX } from './mx-options.js';

/**
 * DATA: spool with a hard cap, then the delivery pipeline; the reply is whatever the pipeline
 * decided, and 250 comes only after the store committed (the pipeline resolves after that).
 * The spool file is removed whatever happens.
 */
export function onData(ctx: MxContext) {
  return (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: SMTPServerError | null, message?: string) => void): void => {
    const queueId = randomBytes(9).toString('base64url');
    const log = ctx.log.child({ session: session.id, queueId });
    let spoolPath: string | null = null;

    const finish = (reply: SmtpReply, size: number) => {
      ctx.metrics.messages.inc({ code: String(reply.code) });
      log.info({ event: 'data', code: reply.code, enhanced: reply.enhanced, size }, 'DATA done');
      if (reply.code >= 200 && reply.code < 300) callback(null, `${replyText(reply)}: queued as ${queueId}`);
      else callback(smtpServerError(reply));
    };

    (async (): Promise<{ reply: SmtpReply; size: number }> => {
      const spooled = await spoolToFile(stream, {
        dir: ctx.opts.spoolDir,
        name: MX_SPOOL_PREFIX + queueId,
        maxBytes: ctx.opts.limits.maxMessageSize,
        maxHeaderBytes: ctx.opts.limits.maxHeaderSize ?? MX_LIMIT_DEFAULTS.maxHeaderSize,
        normalize: true,
      });
      spoolPath = spooled.path;
      ctx.metrics.bytes.observe(spooled.size);
      // RFC 1870 6.3 / RFC 5321 4.5.3.1.10: over the fixed limit is 552 5.3.4.
      if (spooled.overLimit) return { reply: SmtpReplies.messageTooBig, size: spooled.size };
      if (spooled.headerOverLimit) return { reply: SmtpReplies.headerTooBig, size: spooled.size };

      // Issue 9, one header model: the spool made every bare LF and bare CR CRLF, in memory and
      // on file alike, so checks, filters and the store all read the same fields of the same
      // bytes. A bare CR in the header block (or a NUL) is still refused (554 5.6.0): no mailer
      // writes one, and readers disagree on whether it ends a line.
      const head = spooled.data ?? (await readHead(spooled.path!, spooled.headerBytes + 4));
      const headerCheck = checkHeaderBlock(head, { maxBytes: Number.MAX_SAFE_INTEGER, maxLineLength: Number.MAX_SAFE_INTEGER });
      const bareCrInHeader = spooled.firstBareCr >= 0 && spooled.firstBareCr < headerCheck.bodyStart;
      if (bareCrInHeader || headerCheck.problems.some((p) => p.kind === 'nul')) return { reply: SmtpReplies.malformedMessage, size: spooled.size };
      const recipients = ctx.recipients.resolve(session.envelope.rcptTo);
      const outcome = await ctx.opts.pipeline.deliver({
        queueId,
        envelope: {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((a) => a.address),
        },
        session: sessionInfo(session),
        recipients,
        ...(spooled.data ? { raw: spooled.data } : { spoolPath: spooled.path! }),
        size: spooled.storedSize,
        transmissionType: session.transmissionType || undefined,
      });
      return { reply: outcome.reply, size: spooled.size };
    })()
      .catch((err: unknown) => {
        // A client that vanished mid-DATA lands here too; the reply then goes nowhere.
        log.warn({ err }, 'DATA failed');
        return { reply: SmtpReplies.tempFailure as SmtpReply, size: stream.byteLength ?? 0 };
      })
      .then(async ({ reply, size }) => {
        // Scratch file gone before the reply, so nothing outlives the transaction.
        if (spoolPath) await removeSpool(spoolPath).catch((err: unknown) => log.warn({ err }, 'removing spool file failed'));
        finish(reply, size);
      });
  };
}
