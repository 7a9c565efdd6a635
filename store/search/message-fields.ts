import type { EnvelopeAddress, PreparedMessage } from '../../domain/index.js';
import type { SearchColumn } from './leaf-text.js';

/**
 * Header fields whose values are signatures and machine tokens (base64 that never repeats): kept
 * out of the `headers` search column, where each message would add dozens of unique terms.
 * HEADER searches on them read the message's header lines instead; TEXT does not look into them.
 */
export const UNINDEXED_HEADERS: ReadonlySet<string> = new Set([
  'dkim-signature',
  'domainkey-signature',
  'x-google-dkim-signature',
  'arc-seal',
  'arc-message-signature',
  'x-gm-message-state',
  'x-google-smtp-source',
]);

/** Header fields searched in a column of their own (not again in `headers`). */
export const OWN_COLUMN: ReadonlyMap<string, SearchColumn> = new Map([
  ['subject', 'subject'],
  ['from', 'from_text'],
  ['to', 'to_text'],
  ['cc', 'cc_text'],
  ['bcc', 'bcc_text'],
]);

/** Caps per column (characters) on what is searchable; the body's own cap is the parser's. */
const MAX_FIELD = 16_384;
const MAX_HEADERS = 65_536;

function headerName(line: string): string {
  const colon = line.indexOf(':');
  return colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
}

/** The part of PreparedMessage.search.headers ("Name: value" lines) that goes to `headers`. */
export function indexableHeaders(headers: string): string {
  const lines = headers.split(/\r?\n/);
  const kept = lines.filter((l) => {
    const name = headerName(l);
    return !UNINDEXED_HEADERS.has(name) && !OWN_COLUMN.has(name);
  });
  return (kept.length === lines.length ? headers : kept.join('\n')).slice(0, MAX_HEADERS);
}

function renderEnvelope(list: EnvelopeAddress[] | null | undefined): string {
  if (!Array.isArray(list)) return '';
  const out: string[] = [];
  for (const a of list) {
    if (!a || typeof a !== 'object') continue;
    // RFC 3501 7.4.2 group syntax: start {mailbox: name, host: null}, end {mailbox: null}.
    if (a.host === null) {
      if (a.mailbox) out.push(`${a.mailbox}:`);
      continue;
    }
    const addr = `${a.mailbox ?? ''}@${a.host ?? ''}`;
    out.push(a.name ? `${a.name} <${addr}>` : addr);
  }
  return out.join(', ');
}

/**
 * Text of an address field for search: the decoded display string plus the ENVELOPE form, so
 * addresses written with comments (`<user (c)@ (c) host>`) and group names are found too.
 */
export function addressText(display: string | undefined, envelope: EnvelopeAddress[] | null | undefined): string {
  const env = renderEnvelope(envelope);
  const d = typeof display === 'string' ? display : '';
  return (env && env !== d ? `${d}\n${env}` : d).slice(0, MAX_FIELD);
}

export type FieldValues = Record<SearchColumn, string>;

/** What a message contributes to each search column (SQLite's content_fts, MongoDB's text fields). */
export function searchFields(m: PreparedMessage): FieldValues {
  const h = m.header;
  const e = m.envelope;
  return {
    subject: String(h.subject ?? '').slice(0, MAX_FIELD),
    from_text: addressText(h.from, e?.from),
    to_text: addressText(h.to, e?.to),
    cc_text: addressText(h.cc, e?.cc),
    bcc_text: addressText(h.bcc, e?.bcc),
    headers: indexableHeaders(String(m.search?.headers ?? '')),
    body: String(m.search?.body ?? ''),
    filenames: String(m.search?.filenames ?? '').slice(0, MAX_FIELD),
  };
}
