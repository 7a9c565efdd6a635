import type { SessionInfo } from '../../domain/index.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 3.3 date-time in UTC with a numeric zone (not the obsolete "GMT"). */
export function rfc5322Date(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** Client-supplied names go into a header: keep them printable and on one line. */
function clean(value: string): string {
  return value.replace(/[^\x21-\x7e]/g, '').slice(0, 255) || 'unknown';
}

function addressLiteral(ip: string): string {
  // RFC 5321 4.1.3: IPv6 literals carry the "IPv6:" tag.
  return ip.includes(':') ? `[IPv6:${ip}]` : `[${ip}]`;
}

/**
 * The trace header (RFC 5321 4.4, clauses per RFC 5321 4.4 and 5322 3.6.7). `for` names the
 * recipient only when there is exactly one, so one recipient's copy does not reveal the others
 * (the Bcc'd among them).
 */
export function receivedHeader(opts: {
  session: SessionInfo;
  hostname: string;
  queueId: string;
  protocol: string;
  recipients: string[];
  date: Date;
}): string {
  const { session } = opts;
  const literal = addressLiteral(session.remoteAddress);
  const rdns = session.clientHostname && !session.clientHostname.startsWith('[') ? `${clean(session.clientHostname)} ` : '';
  const lines = [
    `Received: from ${clean(session.heloName)} (${rdns}${literal})`,
    `\tby ${clean(opts.hostname)} (Heron) with ${clean(opts.protocol)} id ${clean(opts.queueId)}`,
  ];
  const rcpt = opts.recipients.length === 1 ? opts.recipients[0]!.replace(/[^\x21-\x7e\u0080-\uffff]/g, '') : '';
  if (rcpt) lines.push(`\tfor <${rcpt}>;`);
  else lines[lines.length - 1] += ';';
  lines.push(`\t${rfc5322Date(opts.date)}`);
  return lines.join('\r\n') + '\r\n';
}

/** ESMTP, ESMTPS, ESMTPA, ESMTPSA (RFC 3848). */
export function transmissionType(session: SessionInfo): string {
  return `ESMTP${session.secure ? 'S' : ''}${session.user ? 'A' : ''}`;
}
