import type { EnvelopeAddress, MessageEnvelope } from '../../domain/index.js';
import { parseAddressList, type ParsedAddress } from './address.js';
import type { HeaderField } from './header-block.js';

/**
 * RFC 3501 7.4.2 / RFC 9051 7.5.2 ENVELOPE fields from a header block, as written (encoded words
 * kept), read the way Dovecot reads them, imaptest being the yardstick:
 * - Subject and display names are "for humans": folds, tabs and runs of white space become one
 *   space, trimmed. Date, In-Reply-To and Message-ID keep their unfolded value.
 * - A repeated field (RFC 5322 allows each once): the last string field counts; repeated address
 *   fields are joined into one list, so a second From is shown, not hidden.
 * Absent fields, and address fields with no address in them, are null: defaulting Sender and
 * Reply-To to From is the IMAP encoder's job (imap/mime), which knows the protocol rule.
 */
export function buildEnvelope(fields: readonly HeaderField[]): MessageEnvelope {
  const env: MessageEnvelope = { date: null, subject: null, from: null, sender: null, replyTo: null, to: null, cc: null, bcc: null, inReplyTo: null, messageId: null };
  const lists = new Map<string, ParsedAddress[]>();
  for (const f of fields) {
    switch (f.key) {
      case 'date':
        env.date = unfoldedValue(f);
        break;
      case 'subject':
        env.subject = forHumans(unfoldedValue(f));
        break;
      case 'in-reply-to':
        env.inReplyTo = unfoldedValue(f);
        break;
      case 'message-id':
        env.messageId = unfoldedValue(f);
        break;
      case 'from':
      case 'sender':
      case 'reply-to':
      case 'to':
      case 'cc':
      case 'bcc': {
        const list = lists.get(f.key) ?? [];
        for (const a of parseAddressList(f.value)) list.push(a);
        lists.set(f.key, list);
        break;
      }
    }
  }
  env.from = envelopeAddresses(lists.get('from'));
  env.sender = envelopeAddresses(lists.get('sender'));
  env.replyTo = envelopeAddresses(lists.get('reply-to'));
  env.to = envelopeAddresses(lists.get('to'));
  env.cc = envelopeAddresses(lists.get('cc'));
  env.bcc = envelopeAddresses(lists.get('bcc'));
  return env;
}

/** The value with folds removed and leading white space skipped; trailing white space is kept. */
function unfoldedValue(f: HeaderField): string {
  return f.raw.toString('utf8').replace(/\r?\n|\r/g, '').replace(/^[ \t]+/, '');
}

/** White space runs (tabs included) as one space, trimmed. */
function forHumans(s: string): string {
  return s.replace(/[ \t\r\n]+/g, ' ').trim();
}

/**
 * Parsed addresses in the ENVELOPE model; null for an empty list. A mailbox without a local part
 * or domain gets Dovecot's placeholders (MISSING_MAILBOX, MISSING_DOMAIN), since a NIL host would
 * read as a group marker (RFC 3501 7.4.2).
 */
export function envelopeAddresses(list: ParsedAddress[] | undefined): EnvelopeAddress[] | null {
  if (!list) return null;
  const out: EnvelopeAddress[] = [];
  for (const a of list) {
    if (a.group === 'start') out.push({ name: null, adl: null, mailbox: a.name ?? '', host: null });
    else if (a.group === 'end') out.push({ name: null, adl: null, mailbox: null, host: null });
    else out.push({ name: a.name === null ? null : forHumans(a.name), adl: a.route, mailbox: a.mailbox ?? 'MISSING_MAILBOX', host: a.host ?? 'MISSING_DOMAIN' });
  }
  return out.length > 0 ? out : null;
}
