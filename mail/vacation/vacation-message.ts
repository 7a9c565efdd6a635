import { randomBytes } from 'node:crypto';
import { rfc5322Date } from '../delivery/received-header.js';
import { firstMsgId, headerValue } from '../../outbound/message-headers.js';

/** RFC 2047 encoded-word when the text is not plain ASCII. */
function encodeHeaderText(text: string): string {
  const flat = text.replace(/[\r\n\0]+/g, ' ').trim().slice(0, 300);
  return /^[\x20-\x7e]*$/.test(flat) ? flat : `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}

/**
 * The automatic reply (RFC 3834 3.1): from the address the mail was sent to, to the envelope
 * sender, "Auto-Submitted: auto-replied", threaded with In-Reply-To/References, subject from the
 * settings or "Auto: " plus the original subject (3.1.5).
 */
export function buildVacationReply(opts: { from: string; displayName?: string; to: string; subject: string; body: string; originalHeaders: string; now?: Date }): Buffer {
  const domain = opts.from.slice(opts.from.lastIndexOf('@') + 1) || 'localhost';
  const origSubject = (headerValue(opts.originalHeaders, 'Subject') ?? '').replace(/[\r\n]+/g, ' ').trim();
  const subject = opts.subject.trim() || `Auto: ${origSubject || 'your message'}`;
  const origId = firstMsgId(headerValue(opts.originalHeaders, 'Message-ID'));
  const refs: string[] = [...((headerValue(opts.originalHeaders, 'References') ?? '').match(/<[^<>\s]+>/g) ?? [])];
  if (origId) refs.push(origId);
  const name = opts.displayName ? `${encodeHeaderText(opts.displayName).replace(/["\\]/g, '')} ` : '';
  const lines = [
    `From: ${name}<${opts.from}>`,
    `To: <${opts.to}>`,
    `Subject: ${encodeHeaderText(subject)}`,
    `Date: ${rfc5322Date(opts.now ?? new Date())}`,
    `Message-ID: <vacation.${randomBytes(10).toString('hex')}@${domain}>`,
  ];
  if (origId) lines.push(`In-Reply-To: ${origId}`);
  if (refs.length) lines.push(`References: ${refs.slice(-20).join(' ')}`);
  lines.push(
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    (Buffer.from(opts.body.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\r\n'),
    '',
  );
  return Buffer.from(lines.join('\r\n'), 'utf8');
}
