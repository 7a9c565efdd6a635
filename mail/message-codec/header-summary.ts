import type { MessageHeaderSummary } from '../../domain/index.js';
import type { LibMime } from './wildduck-modules.js';

interface ParsedAddress {
  name?: string;
  address?: string;
  group?: ParsedAddress[];
}

function decode(libmime: LibMime, value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    // Unknown charset in an encoded word: keep the raw text rather than fail the delivery.
    return value;
  }
}

function single(value: unknown): string {
  if (Array.isArray(value)) return single(value[value.length - 1]);
  return typeof value === 'string' ? value : '';
}

function formatAddresses(libmime: LibMime, value: unknown): string {
  if (!Array.isArray(value)) return '';
  const parts: string[] = [];
  const add = (a: ParsedAddress): void => {
    if (Array.isArray(a.group)) {
      a.group.forEach(add);
      return;
    }
    const name = a.name ? decode(libmime, a.name) : '';
    if (a.address) parts.push(name ? `${name} <${a.address}>` : a.address);
    else if (name) parts.push(name);
  };
  (value as ParsedAddress[]).forEach(add);
  return parts.join(', ');
}

function msgIds(value: string): string[] {
  return value.match(/<[^<>\s]+>/g) ?? [];
}

export function summarizeHeaders(libmime: LibMime, parsedHeader: Record<string, unknown>): MessageHeaderSummary {
  const dateText = single(parsedHeader['date']);
  const parsedDate = dateText ? new Date(dateText) : null;
  const messageId = msgIds(single(parsedHeader['message-id']))[0] ?? (single(parsedHeader['message-id']).trim() || null);
  const inReplyTo = msgIds(single(parsedHeader['in-reply-to']))[0] ?? null;
  const references = [parsedHeader['references']].flat().filter((v): v is string => typeof v === 'string').flatMap(msgIds);
  return {
    messageId,
    subject: decode(libmime, single(parsedHeader['subject'])).trim(),
    from: formatAddresses(libmime, parsedHeader['from']),
    to: formatAddresses(libmime, parsedHeader['to']),
    cc: formatAddresses(libmime, parsedHeader['cc']),
    bcc: formatAddresses(libmime, parsedHeader['bcc']),
    replyTo: formatAddresses(libmime, parsedHeader['reply-to']),
    date: parsedDate && !Number.isNaN(parsedDate.getTime()) ? parsedDate : null,
    inReplyTo,
    references,
  };
}
