import type { Filter } from 'mongodb';
import { StoreError } from '../../../../domain/index.js';
import { foldCase, foldForMatch, tokensAt } from '../../../search/fold.js';
import { FIELD_COLUMNS, HEADER_NAME, leafValue, wordPhrases, type Phrase } from '../../../search/leaf-text.js';
import type { HeaderLeaf, TextLeaf } from '../../../search/query-tree.js';
import type { Collections } from '../../collections.js';
import type { ContentDoc } from '../../documents.js';
import type { TextField } from './text.js';

/** A resolved leaf: the content ids (per user) it matches, or every/no message. */
export type LeafMatch = { all: true } | { all: false; contentIds: string[] };

/** Contents one query may look at; past this the search is refused rather than run for minutes. */
const MAX_CANDIDATES = 200_000;

const ALL: LeafMatch = { all: true };
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

async function contentIds(c: Collections, filter: Filter<ContentDoc>): Promise<string[]> {
  const ids: string[] = [];
  for await (const d of c.contents.find(filter).sort({ _id: 1 })) {
    ids.push(d._id);
    if (ids.length > MAX_CANDIDATES) throw new StoreError('invalid', 'search too broad: use longer words');
  }
  return ids;
}

/** Whether `phrase` occurs as adjacent tokens in the (folded) text. */
function hasPhrase(text: string, phrase: Phrase): boolean {
  const toks = tokensAt(text).map((t) => t.token);
  const n = phrase.tokens.length;
  for (let i = 0; i + n <= toks.length; i++) {
    let ok = true;
    for (let j = 0; j < n && ok; j++) {
      const want = phrase.tokens[j]!;
      ok = j === n - 1 && phrase.prefix ? toks[i + j]!.startsWith(want) : toks[i + j] === want;
    }
    if (ok) return true;
  }
  return false;
}

/**
 * A `text` leaf of one user's messages. Words: the multikey `terms` index finds the contents
 * holding every word (the last as a prefix), phrases of several words are then checked for
 * adjacency in the stored folded text. Substring (IMAP): a regular expression over the stored
 * folded text (escaped: nothing a client types is pattern syntax); punctuation-only words are
 * read as a substring, as the SQLite store does.
 */
export async function resolveTextLeaf(c: Collections, leaf: TextLeaf, userId: string): Promise<LeafMatch> {
  const columns = FIELD_COLUMNS[leaf.field];
  if (columns === undefined) throw new StoreError('invalid', 'unknown text field');
  const raw = leafValue(leaf.value);
  if (raw === '') return ALL;
  if (leaf.match === 'words') {
    const list = wordPhrases(foldCase(raw));
    if (list.length > 0) {
      const scope = columns ? columns[0]! : '*';
      const all: Array<string | RegExp> = [];
      for (const p of list) {
        p.tokens.forEach((t, i) => all.push(p.prefix && i === p.tokens.length - 1 ? new RegExp(`^${escapeRegex(`${scope}:${t}`)}`) : `${scope}:${t}`));
      }
      const candidates = await c.contents.find({ userId, terms: { $all: all } }).toArray();
      if (list.every((p) => p.tokens.length === 1)) return { all: false, contentIds: candidates.map((d) => d._id) };
      const fields = columns ?? (Object.keys(candidates[0]?.text ?? {}) as TextField[]);
      return { all: false, contentIds: candidates.filter((d) => list.every((p) => fields.some((f) => hasPhrase(d.text[f] ?? '', p)))).map((d) => d._id) };
    }
  }
  const pattern = escapeRegex(foldForMatch(raw));
  // RFC 3501 TEXT: headers (every field) and body; attachment names too, as in the SQLite store.
  const where = columns ?? (['body', 'headers', 'filenames'] as TextField[]);
  return { all: false, contentIds: await contentIds(c, { userId, $or: where.map((f) => ({ [`text.${f}`]: { $regex: pattern } })) }) };
}

/** RFC 3501 HEADER: the named field's unfolded value contains the string (case-insensitively); an empty string: the field is present. */
export async function resolveHeaderLeaf(c: Collections, leaf: HeaderLeaf, userId: string): Promise<LeafMatch> {
  const name = String(leaf.name ?? '').trim().toLowerCase();
  if (!HEADER_NAME.test(name)) return { all: false, contentIds: [] };
  const needle = foldForMatch(leafValue(leaf.value));
  const filter: Filter<ContentDoc> =
    needle === '' ? { userId, 'headerFields.n': name } : { userId, headerFields: { $elemMatch: { n: name, v: { $regex: escapeRegex(needle) } } } };
  return { all: false, contentIds: await contentIds(c, filter) };
}
