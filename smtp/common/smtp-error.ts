import type { SMTPServerError } from 'smtp-server';
import type { SmtpReply } from '../../domain/index.js';

/**
 * Turns a named reply into the error object smtp-server's callbacks expect. The enhanced code
 * (RFC 3463) leads the text; enhanced-code-passthrough.ts makes smtp-server send it as is
 * instead of substituting its own guess for the numeric code.
 */
export function smtpServerError(reply: SmtpReply, message?: string): SMTPServerError {
  const err = new Error(`${reply.enhanced} ${message ?? reply.message}`) as SMTPServerError;
  err.responseCode = reply.code;
  return err;
}

/** Formats a reply as the text after the code, e.g. for onData's success message. */
export function replyText(reply: SmtpReply): string {
  return `${reply.enhanced} ${reply.message}`;
}
