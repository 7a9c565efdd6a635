import { randomBytes } from 'node:crypto';
import { rfc5322Date } from '../mail/delivery/received-header.js';
import { headerBlock } from './message-headers.js';

export interface DsnRecipient {
  recipient: string;
  /** RFC 3463 status, e.g. 5.1.1. */
  status: string;
  /** The remote reply, when there was one. */
  diagnostic: string | null;
  remoteMta: string | null;
  lastAttempt: Date;
}

export interface DsnInput {
  /** Our host name: Reporting-MTA and the From domain. */
  hostname: string;
  /** Who gets the report: the original envelope sender. */
  to: string;
  arrivalDate: Date;
  recipients: DsnRecipient[];
  /** The undelivered message; only its header block is returned (RFC 3462 text/rfc822-headers). */
  original: Buffer;
  /** 'expired' when the queue gave up on temporary failures. */
  reason: 'failed' | 'expired';
  now?: Date;
}

/** Header values that came from remote replies may carry anything; keep them one printable line. */
function oneLine(value: string, max = 900): string {
  return value.replace(/[^\x20-\x7e]+/g, ' ').trim().slice(0, max);
}

/**
 * A delivery status notification (RFC 3464) as a multipart/report (RFC 6522,
 * report-type=delivery-status): a human-readable part, the machine-readable
 * message/delivery-status, and the original message's headers. Sent from the null sender
 * (RFC 5321 4.5.5) and marked auto-replied (RFC 3834), so it never causes a bounce of its own.
 */
export function buildDsn(input: DsnInput): Buffer {
  const now = input.now ?? new Date();
  const boundary = `heron-dsn-${randomBytes(12).toString('hex')}`;
  const host = oneLine(input.hostname, 255);
  const lines = input.recipients.map((r) => `  ${oneLine(r.recipient, 320)}: ${r.diagnostic ? oneLine(r.diagnostic, 400) : r.status}`).join('\r\n');
  const why =
    input.reason === 'expired'
      ? 'could not be delivered in time: the receiving servers kept answering with temporary errors or could not be reached.'
      : 'could not be delivered: the receiving server refused it permanently.';

  const perRecipient = input.recipients
    .map((r) => {
      const fields = [
        `Final-Recipient: rfc822; ${oneLine(r.recipient, 320)}`,
        'Action: failed',
        `Status: ${r.status}`,
      ];
      if (r.remoteMta) fields.push(`Remote-MTA: dns; ${oneLine(r.remoteMta, 255)}`);
      if (r.diagnostic) fields.push(`Diagnostic-Code: smtp; ${oneLine(r.diagnostic)}`);
      fields.push(`Last-Attempt-Date: ${rfc5322Date(r.lastAttempt)}`);
      return fields.join('\r\n');
    })
    .join('\r\n\r\n');

  // Original headers as Heron reads them everywhere (bare CR/LF made CRLF), so the part stays well-formed.
  const originalHeaders = headerBlock(input.original).replace(/(\r\n)+$/, '') + '\r\n';

  const msg = [
    `From: Mail Delivery System <MAILER-DAEMON@${host}>`,
    `To: <${oneLine(input.to, 320)}>`,
    `Subject: Undelivered Mail Returned to Sender`,
    `Date: ${rfc5322Date(now)}`,
    `Message-ID: <dsn.${randomBytes(10).toString('hex')}@${host}>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    'This is a MIME-formatted delivery status notification.',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `This is the mail system at ${host}.`,
    '',
    `Your message ${why}`,
    '',
    lines,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; ${host}`,
    `Arrival-Date: ${rfc5322Date(input.arrivalDate)}`,
    '',
    perRecipient,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    originalHeaders,
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(msg.join('\r\n'), 'utf8');
}
