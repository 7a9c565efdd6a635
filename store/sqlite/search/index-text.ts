import type { EnvelopeAddress, PreparedMessage } from '../../../domain/index.js';
import type { SqliteDb } from '../db.js';
import { cachedStatement } from '../context.js';
import type { WriteEffects } from '../context.js';
import { distinctTokens, foldCase } from '../../search/fold.js';
import { SEARCH_COLUMNS } from '../../search/leaf-text.js';
import type { SearchColumn } from '../../search/leaf-text.js';
import type { Vocabulary } from './vocabulary.js';

/** Columns of content_fts, in table order. */
export const FTS_COLUMNS = SEARCH_COLUMNS;
export type FtsColumn = SearchColumn;

/**
 * Header fields whose values are signatures and machine tokens (base64 that never repeats): kept
 * out of the token index, where each message would add dozens of unique terms. HEADER searches
 * on them scan instead (search/text-leaf.ts); TEXT does not look into them.
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

/** Header fields indexed in a column of their own (not again in `headers`). */
export const OWN_COLUMN: ReadonlyMap<string, FtsColumn> = new Map([
  ['subject', 'subject'],
  ['from', 'from_text'],
  ['to', 'to_text'],
  ['cc', 'cc_text'],
  ['bcc', 'bcc_text'],
]);

/** Caps per column (characters) on what is indexed; the body's own cap is the parser's. */
const MAX_FIELD = 16_384;
const MAX_HEADERS = 65_536;
const MAX_TOKEN = 256;

function headerName(line: string): string {
  const colon = line.indexOf(':');
  return colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
}

/** The part of PreparedMessage.search.headers ("Name: value" lines) indexed in `headers`. */
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

export type FieldValues = Record<FtsColumn, string>;

/** What a message contributes to each column of content_fts. */
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

/** Distinct folded tokens of every column: new ones go to the vocabulary (search_terms). */
export function searchTokens(fields: FieldValues): string[] {
  const set = new Set<string>();
  for (const c of FTS_COLUMNS) distinctTokens(foldCase(fields[c]), set);
  const out: string[] = [];
  for (const t of set) if (t.length <= MAX_TOKEN) out.push(t);
  return out;
}

/** Indexes content `id`: in a group commit, with the group's other rows at its end (WriteEffects.groupIndex). */
export function indexContent(db: SqliteDb, fx: WriteEffects, vocabulary: Vocabulary, id: number, fields: FieldValues, tokens: string[]): void {
  const values = FTS_COLUMNS.map((c) => fields[c]);
  const insert = () =>
    void cachedStatement(
      db,
      `INSERT INTO content_fts (rowid, ${FTS_COLUMNS.join(', ')}) VALUES (?, ${FTS_COLUMNS.map(() => '?').join(', ')})`,
    ).run(id, ...values);
  const group = fx.groupIndex;
  if (group) {
    group.set(id, insert);
    (fx.undo ??= []).push(() => group.delete(id));
  } else insert();
  vocabulary.add(db, fx, tokens, id);
}

export function unindexContents(db: SqliteDb, fx: WriteEffects, ids: readonly number[]): void {
  // contentless_delete=1: a row is deleted by rowid alone, no copy of its text needed.
  const del = cachedStatement(db, 'DELETE FROM content_fts WHERE rowid = ?');
  const group = fx.groupIndex;
  for (const id of ids) {
    // Delivered and deleted within one group commit: its row was never written.
    const insert = group?.get(id);
    if (group && insert) {
      group.delete(id);
      (fx.undo ??= []).push(() => group.set(id, insert));
    } else del.run(id);
  }
}
