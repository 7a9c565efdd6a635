import addressparser from 'nodemailer/lib/addressparser';
import { SmtpError, SmtpReplies, type UserStore } from '../../domain/index.js';
import { headerValues, type HeaderBlock } from '../../mail/mime/header-block.js';
import { SUBMISSION_REPLIES } from './rate-limits.js';

/** Every address in From (and Sender) fields, lower-case; RFC 2047 names are not needed here. */
export function fromHeaderAddresses(block: HeaderBlock): { from: string[]; sender: string[]; fromFields: number } {
  const collect = (values: string[]) =>
    values.flatMap((v) => flatten(addressparser(v))).map((a) => a.toLowerCase()).filter((a) => a.length > 0);
  const from = headerValues(block, 'From');
  return { from: collect(from), sender: collect(headerValues(block, 'Sender')), fromFields: from.length };
}

type Parsed = { address?: string; group?: Parsed[] };
function flatten(list: Parsed[]): string[] {
  return list.flatMap((a) => (a.group ? flatten(a.group) : [a.address ?? '']));
}

/**
 * RFC 6409 8.1 lets an MSA refuse what the user may not send: the envelope sender and every
 * From/Sender address must be one of the user's addresses (553 5.7.1). RFC 5322 3.6 wants
 * exactly one From field: none is 550 5.6.0, several 554 5.6.0. `block` comes from mail/mime's
 * splitHeader over the line-normalised message, the very bytes that are signed and stored.
 */
export async function assertOwnsSender(users: UserStore, userId: string, mailFrom: string, block: HeaderBlock | null): Promise<string[]> {
  const owned = new Set((await users.listAddresses(userId)).map((a) => a.toLowerCase()));
  // The null sender is for bounces (RFC 5321 4.5.5), never for a person's mail.
  if (!owned.has(mailFrom.toLowerCase())) throw new SmtpError(SmtpReplies.badSender);
  if (block === null) return [...owned];
  const { from, sender, fromFields } = fromHeaderAddresses(block);
  if (fromFields === 0 || from.length === 0) throw new SmtpError(SUBMISSION_REPLIES.noFrom);
  if (fromFields > 1) throw new SmtpError(SmtpReplies.malformedMessage, 'Message has more than one From field (RFC 5322 3.6)');
  for (const a of [...from, ...sender]) if (!owned.has(a)) throw new SmtpError(SmtpReplies.badSender, `Sender address <${a.slice(0, 200)}> not owned by authenticated user`);
  return from;
}
