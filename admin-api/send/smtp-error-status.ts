import { SmtpError } from '../../domain/smtp-reply.js';
import { ApiError } from '../../gateway/index.js';

/** An MSA refusal as an HTTP answer, keeping the SMTP reply in the message (RFC 3463 codes). */
export function smtpErrorToApi(err: unknown): unknown {
  if (!(err instanceof SmtpError)) return err;
  const { code, enhanced } = err.reply;
  const message = `${code} ${enhanced} ${err.message}`;
  if (enhanced === '5.1.1') return new ApiError(422, 'unknown_recipient', message);
  if (code === 553) return new ApiError(403, 'sender_not_owned', message);
  if (enhanced === '4.7.1' || enhanced === '4.5.3') return new ApiError(429, 'rate_limited', message, { headers: { 'Retry-After': '60' } });
  if (code >= 500) return new ApiError(422, 'delivery_rejected', message);
  return new ApiError(503, 'delivery_deferred', message, { headers: { 'Retry-After': '60' } });
}
