import type { MessageDetail } from '../api/types.js';
import { longDate, parseAddresses } from '../format.js';
import type { ComposeInit } from '../state.js';

export type ReplyMode = 'reply' | 'replyAll' | 'forward';

/** The signature as RFC 3676 puts it: after a "-- " line. */
export const signatureBlock = (signature: string) => (signature.trim() ? `\n\n-- \n${signature.trim()}` : '');

const prefixed = (prefix: string, subject: string) => (new RegExp(`^${prefix}:`, 'i').test(subject.trim()) ? subject : `${prefix}: ${subject}`);

/** To, Cc, subject and quoted text of a reply, reply-all or forward, as Gmail fills them in. */
export function replyInit(d: MessageDetail, mode: ReplyMode, me: string, signature: string): ComposeInit {
  const h = d.headers;
  const sig = signatureBlock(signature);
  if (mode === 'forward') {
    const block = [
      '---------- Forwarded message ---------',
      `From: ${h.from}`,
      `Date: ${longDate(h.date ?? d.internalDate)}`,
      `Subject: ${h.subject}`,
      `To: ${h.to}`,
      ...(h.cc ? [`Cc: ${h.cc}`] : []),
      '',
      d.text,
    ].join('\n');
    return { subject: prefixed('Fwd', h.subject), text: `${sig}\n\n${block}`, forwardOf: d.id };
  }
  const self = me.toLowerCase();
  const fromList = parseAddresses(h.replyTo || h.from).map((a) => a.address);
  // Replying to one's own sent message goes to its recipients, as Gmail does.
  const to = fromList.every((a) => a === self) ? parseAddresses(h.to).map((a) => a.address) : fromList;
  const cc =
    mode === 'replyAll'
      ? [...parseAddresses(h.to), ...parseAddresses(h.cc)].map((a) => a.address).filter((a, i, all) => a !== self && !to.includes(a) && all.indexOf(a) === i)
      : [];
  const quoted = d.text
    .replace(/\s+$/, '')
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
  return {
    to,
    cc,
    subject: prefixed('Re', h.subject),
    text: `${sig}\n\nOn ${longDate(h.date ?? d.internalDate)}, ${h.from} wrote:\n${quoted}\n`,
    inReplyTo: d.id,
  };
}
