import { headerValue, headerValues } from '../../outbound/message-headers.js';

const ROBOT_LOCAL_PARTS = /^(mailer-daemon|postmaster|listserv|majordomo|noreply|no-reply|do-not-reply|donotreply|bounces?|owner-.*|.*-request|.*-owner|.*-bounces?)$/i;

/**
 * RFC 3834 2 and 3.1: why a message must not get an automatic reply, or null if it may.
 * Never to the null sender or mailer daemons (bounces), to mail that is itself automatic
 * (Auto-Submitted other than "no"), or to list and bulk mail (List-Id and friends, RFC 2369 /
 * RFC 2919; Precedence bulk/list/junk).
 */
export function autoReplyRefusal(envelopeSender: string, headerBlockText: string): string | null {
  if (!envelopeSender) return 'null sender';
  const at = envelopeSender.lastIndexOf('@');
  if (at <= 0) return 'sender without domain';
  if (ROBOT_LOCAL_PARTS.test(envelopeSender.slice(0, at))) return 'automated sender';
  const auto = headerValue(headerBlockText, 'Auto-Submitted');
  if (auto && auto.trim().toLowerCase().split(/[;\s(]/)[0] !== 'no') return 'auto-submitted';
  const precedence = headerValue(headerBlockText, 'Precedence');
  if (precedence && /^(bulk|list|junk)$/i.test(precedence.trim())) return `precedence ${precedence.trim().toLowerCase()}`;
  for (const h of ['List-Id', 'List-Unsubscribe', 'List-Post', 'List-Help', 'Mailing-List']) {
    if (headerValues(headerBlockText, h).length) return 'mailing list';
  }
  // Microsoft's marker for mail that asks not to be answered automatically.
  const suppress = headerValue(headerBlockText, 'X-Auto-Response-Suppress');
  if (suppress && /\b(all|oof|autoreply)\b/i.test(suppress)) return 'auto-response suppressed';
  return null;
}

/** The settings' window: ISO dates, end inclusive of that whole day when given as a date only. */
export function inVacationWindow(start: string | null, end: string | null, now: Date): boolean {
  const t = now.getTime();
  if (start) {
    const s = Date.parse(start);
    if (!Number.isNaN(s) && t < s) return false;
  }
  if (end) {
    let e = Date.parse(end);
    if (!Number.isNaN(e)) {
      if (/^\d{4}-\d{2}-\d{2}$/.test(end)) e += 86_400_000 - 1;
      if (t > e) return false;
    }
  }
  return true;
}
