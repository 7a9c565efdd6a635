import type { PreparedMessage } from '../../../../domain/index.js';
import { foldCase, foldForMatch, tokensAt } from '../../../search/fold.js';
import { SEARCH_COLUMNS } from '../../../search/leaf-text.js';
import { searchFields } from '../../../search/message-fields.js';

/** Search fields of a content document (the SQLite store's FTS columns, same text). */
export const TEXT_FIELDS = SEARCH_COLUMNS;
export type TextField = (typeof TEXT_FIELDS)[number];

const MAX_TOKEN = 256;
/** Distinct tokens kept per field: bounds the index entries one message adds. */
const MAX_TERMS_PER_FIELD = 20_000;
const MAX_HEADER_FIELDS = 500;

/**
 * What a message contributes to search: per field the folded text (substring search matches it
 * with an anchored-nowhere regular expression; words are verified against it), the distinct
 * tokens as `field:token` plus `*:token` (the multikey index that finds candidates, instead of
 * $text, which a wire-compatible test server lacks and which cannot do prefix or substring
 * anyway), and the header fields for HEADER search. The same text the SQLite store indexes.
 */
export function searchDocument(m: PreparedMessage): { text: Record<TextField, string>; terms: string[]; headerFields: Array<{ n: string; v: string }> } {
  const fields = searchFields(m);
  const text = {} as Record<TextField, string>;
  const terms = new Set<string>();
  for (const f of TEXT_FIELDS) {
    text[f] = foldForMatch(fields[f]);
    let n = 0;
    for (const t of tokensAt(foldCase(fields[f]))) {
      if (t.token.length > MAX_TOKEN) continue;
      if (++n > MAX_TERMS_PER_FIELD) break;
      terms.add(`${f}:${t.token}`);
      terms.add(`*:${t.token}`);
    }
  }
  // Every header line, signatures included (the token index leaves those out): HEADER and TEXT substring read these.
  const headerFields: Array<{ n: string; v: string }> = [];
  for (const line of String(m.search?.headers ?? '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headerFields.push({ n: line.slice(0, colon).trim().toLowerCase(), v: foldForMatch(line.slice(colon + 1)) });
    if (headerFields.length >= MAX_HEADER_FIELDS) break;
  }
  text.headers = foldForMatch(String(m.search?.headers ?? ''));
  return { text, terms: [...terms], headerFields };
}
