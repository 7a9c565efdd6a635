import type { TextLeaf } from './query-tree.js';
import { tokensAt } from './fold.js';

/** The searchable text of a message, one field per column (SQLite's FTS columns, MongoDB's text fields). */
export const SEARCH_COLUMNS = ['subject', 'from_text', 'to_text', 'cc_text', 'bcc_text', 'headers', 'body', 'filenames'] as const;
export type SearchColumn = (typeof SEARCH_COLUMNS)[number];

/** Where a text leaf looks; null: every column (TEXT, Gmail's bare words). */
export const FIELD_COLUMNS: Record<TextLeaf['field'], SearchColumn[] | null> = {
  text: null,
  body: ['body'],
  subject: ['subject'],
  from: ['from_text'],
  to: ['to_text'],
  cc: ['cc_text'],
  bcc: ['bcc_text'],
  filename: ['filenames'],
};

/** A header field name as RFC 5322 allows it (printable, no colon), bounded. */
export const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]{1,200}$/;

const MAX_TEXT = 1000;
const MAX_TOKENS = 64;

/** A leaf's value as text: NULs removed, length capped. */
export function leafValue(value: unknown): string {
  return String(value ?? '').replace(/\0/g, '').slice(0, MAX_TEXT);
}

export interface Phrase {
  tokens: string[];
  /** The last token is a prefix (the last bare word of a Gmail query). */
  prefix: boolean;
}

/**
 * Gmail's reading (match 'words') of a folded value: each space-separated chunk is a phrase of
 * its words, a "quoted" one too; every phrase must be present; the last bare chunk ends in a
 * prefix ("quart" finds "quarterly"). Empty when the value has no word.
 */
export function wordPhrases(folded: string): Phrase[] {
  const out: Phrase[] = [];
  let count = 0;
  let lastBare = -1;
  for (const m of folded.matchAll(/"([^"]*)"?|[^\s"]+/g)) {
    const quoted = m[0].startsWith('"');
    const tokens = tokensAt(quoted ? (m[1] ?? '') : m[0]).map((t) => t.token);
    if (tokens.length === 0) continue;
    count += tokens.length;
    if (count > MAX_TOKENS) break;
    out.push({ tokens, prefix: false });
    lastBare = quoted ? -1 : out.length - 1;
  }
  if (lastBare >= 0 && lastBare === out.length - 1) out[lastBare]!.prefix = true;
  return out;
}
