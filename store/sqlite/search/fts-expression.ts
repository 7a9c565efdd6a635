import { tokensAt } from '../../search/fold.js';
import { wordPhrases } from '../../search/leaf-text.js';
import type { Vocabulary } from './vocabulary.js';
import type { FtsColumn } from './index-text.js';

/**
 * FTS5 expressions built only from tokens (runs of letters and digits), each inside double
 * quotes, so nothing a user types is ever FTS syntax (`"`, `*`, NEAR, OR, column filters) and
 * everything goes in as a bound parameter, never as SQL.
 */

/** Terms per OR list in one FTS query; a longer expansion runs as several queries. */
const CHUNK = 300;
/** More terms than this and the index is not the way to find candidates: scan and verify. */
export const MAX_EXPANSION = 5_000;
/** For the first word of a multi-word substring, alternatives inside phrases multiply: keep it small. */
const MAX_PHRASE_EXPANSION = 40;
const MAX_TOKENS = 64;

/** The expression matches nothing (a part of the query is in no indexed term). */
export const NO_MATCH = Symbol('no match');

const quote = (tokens: readonly string[]): string => `"${tokens.join(' ')}"`;

export function inColumns(columns: readonly FtsColumn[] | null, expr: string): string {
  return columns ? `{${columns.join(' ')}} : (${expr})` : `(${expr})`;
}

/** Gmail's reading (match 'words', see wordPhrases) as an FTS5 expression; null when the value has no word. */
export function wordsExpression(folded: string): string | null {
  const phrases = wordPhrases(folded);
  if (phrases.length === 0) return null;
  return phrases.map((p) => `${quote(p.tokens)}${p.prefix ? '*' : ''}`).join(' AND ');
}

export interface SubstringPlan {
  /**
   * FTS expressions whose matches together are the candidates; null: no usable prefilter (scan
   * every message in scope); NO_MATCH: none can match.
   */
  expression: string[] | null | typeof NO_MATCH;
  /** Whether the index answer is the exact answer (a single whole run of letters and digits). */
  exact: boolean;
}

/**
 * IMAP's reading (match 'substring', RFC 3501 6.4.4) of an already folded value: where the value
 * may start or end inside a word, the index is asked for the terms that end with, start with or
 * contain that part (prefix queries are native, the others go through the vocabulary); words
 * inside the value are whole terms; the words must be adjacent. The index cannot see the
 * characters between words, so anything but a single bare word is verified afterwards.
 */
export function substringPlan(folded: string, vocabulary: Vocabulary): SubstringPlan {
  const toks = tokensAt(folded).slice(0, MAX_TOKENS);
  if (toks.length === 0) return { expression: null, exact: false };
  const n = toks.length;
  const exact = n === 1 && toks[0]!.start === 0 && toks[0]!.end === folded.length;
  const startsInside = toks[0]!.start === 0;
  const endsInside = toks[n - 1]!.end === folded.length;

  if (n === 1) {
    const t = toks[0]!.token;
    if (!startsInside && !endsInside) return { expression: [quote([t])], exact };
    if (!startsInside) return { expression: [`${quote([t])}*`], exact };
    const terms = vocabulary.find(t, endsInside ? 'infix' : 'suffix', MAX_EXPANSION);
    if (terms === null) return { expression: null, exact: false };
    if (terms.length === 0) return { expression: NO_MATCH, exact };
    const chunks: string[] = [];
    for (let i = 0; i < terms.length; i += CHUNK) chunks.push(terms.slice(i, i + CHUNK).map((x) => quote([x])).join(' OR '));
    return { expression: chunks, exact };
  }

  const rest = toks.slice(1).map((t) => t.token);
  const star = endsInside ? '*' : '';
  if (!startsInside) return { expression: [`${quote([toks[0]!.token, ...rest])}${star}`], exact: false };
  const firsts = vocabulary.find(toks[0]!.token, 'suffix', MAX_PHRASE_EXPANSION);
  if (firsts === null) return { expression: [`${quote(rest)}${star}`], exact: false };
  if (firsts.length === 0) return { expression: NO_MATCH, exact: false };
  return { expression: [firsts.map((f) => `${quote([f, ...rest])}${star}`).join(' OR ')], exact: false };
}
