import addressparser from 'nodemailer/lib/addressparser';
import { SmtpError, SmtpReplies, type UserStore } from '../../domain/index.js';
import { headerValues } from '../../outbound/message-headers.js';
import { SUBMISSION_REPLIES } from './rate-limits.js';

/** Every address in From (and Sender) headers, lower-case; RFC 2047 names are not needed here. */
export function fromHeaderAddresses(headerBlockText: string): { from: string[]; sender: string[] } {
  const collect = (values: string[]) =>
    values.flatMap((v) => flatten(addressparser(v))).map((a) => a.toLowerCase()).filter((a) => a.length > 0);
  return { from: collect(headerValues(headerBlockText, 'From')), sender: collect(headerValues(headerBlockText, 'Sender')) };
}

type Parsed = { address?: string; group?: Parsed[] };
function flatten(list: Parsed[]): string[] {
  return list.flatMap((a) => (a.group ? flatten(a.group) : [a.address ?? '']));
}

/**
 * RFC 6409 8.1 lets an MSA refuse what the user may not send: the envelope sender and every
 * From/Sender address must be one of the user's addresses (553 5.7.1), and a message without
 * From is refused (RFC 5322 3.6 requires it).
 */
export async function assertOwnsSender(users: UserStore, userId: string, mailFrom: string, headerBlockText: string | null): Promise<string[]> {
  const owned = new Set((await users.listAddresses(userId)).map((a) => a.toLowerCase()));
  // The null sender is for bounces (RFC 5321 4.5.5), never for a person's mail.
  if (!owned.has(mailFrom.toLowerCase())) throw new SmtpError(SmtpReplies.badSender);
  if (headerBlockText === null) return [...owned];
  const { from, sender } = fromHeaderAddresses(headerBlockText);
  if (from.length === 0) throw new SmtpError(SUBMISSION_REPLIES.noFrom);
  for (const a of [...from, ...sender]) if (!owned.has(a)) throw new SmtpError(SmtpReplies.badSender, `Sender address <${a.slice(0, 200)}> not owned by authenticated user`);
  return from;
}
