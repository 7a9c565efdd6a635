import type { MessageHeaderSummary } from '../../domain/index.js';
import { addrSpecText, parseAddressList, type ParsedAddress } from './address.js';
import { parseMailDate } from './date.js';
import { decodeEncodedWords } from './encoded-words.js';
import { headerValue, headerValues, type HeaderField } from './header-block.js';

/** Display strings of the header (RFC 2047 decoded), for API lists and the message view. */
export function summarizeHeader(fields: readonly HeaderField[]): MessageHeaderSummary {
  const one = (name: string) => headerValue(fields as HeaderField[], name);
  const addresses = (name: string) => {
    const v = one(name);
    return v === null ? '' : displayAddresses(parseAddressList(v));
  };
  const date = one('date');
  const parsedDate = date === null ? null : parseMailDate(date);
  const messageIdRaw = one('message-id');
  return {
    messageId: messageIdRaw === null ? null : (messageIds(messageIdRaw)[0] ?? (messageIdRaw.trim() || null)),
    subject: decodeEncodedWords(one('subject') ?? '').replace(/\s+/g, ' ').trim(),
    from: addresses('from'),
    to: addresses('to'),
    cc: addresses('cc'),
    bcc: addresses('bcc'),
    replyTo: addresses('reply-to'),
    date: parsedDate ? new Date(parsedDate.ms) : null,
    inReplyTo: messageIds(one('in-reply-to') ?? '')[0] ?? null,
    references: headerValues(fields as HeaderField[], 'references').flatMap(messageIds),
  };
}

/** `<id>` tokens of a Message-ID, In-Reply-To or References value (RFC 5322 3.6.4). */
export function messageIds(value: string): string[] {
  return value.match(/<[^<>\s]+>/g) ?? [];
}

/** `Ann <ann@example.com>, bob@example.com`; groups are flattened to their members. */
export function displayAddresses(list: ParsedAddress[]): string {
  const out: string[] = [];
  for (const a of list) {
    if (a.group) continue;
    const name = a.name ? decodeEncodedWords(a.name).trim() : '';
    const spec = addrSpecText(a);
    out.push(name && spec ? `${name} <${spec}>` : name || spec);
  }
  return out.filter((s) => s !== '').join(', ');
}
