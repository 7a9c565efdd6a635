/**
 * The one text normalisation search uses on both sides (stored text and query), close to what
 * FTS5's `unicode61 remove_diacritics 2` tokenizer does: lower case, diacritics removed.
 * Substring matching also compares any run of white space as one space, so a phrase matches
 * across a line break of the original.
 */
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
const MARKS = /\p{M}+/gu;
const SPACES = /\s+/g;
/** A token is a run of letters, digits and private-use characters (unicode61's default categories). */
const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;

export function foldCase(s: string): string {
  const lower = s.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize('NFD').replace(MARKS, '') : lower;
}

/** For substring comparison: folded, white space runs as one space. */
export function foldForMatch(s: string): string {
  return foldCase(s).replace(SPACES, ' ');
}

export interface TokenAt {
  token: string;
  start: number;
  end: number;
}

/** Tokens of an already folded string, with their positions. */
export function tokensAt(folded: string): TokenAt[] {
  const out: TokenAt[] = [];
  for (const m of folded.matchAll(TOKEN)) out.push({ token: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * Distinct tokens of a folded string. ASCII text (most mail) takes a character loop that gives
 * the same tokens several times faster than the Unicode regex: this runs for every delivery.
 */
export function distinctTokens(folded: string, into: Set<string>): void {
  if (NON_ASCII.test(folded)) {
    for (const m of folded.matchAll(TOKEN)) into.add(m[0]);
    return;
  }
  let start = -1;
  for (let i = 0; i <= folded.length; i++) {
    const c = i < folded.length ? folded.charCodeAt(i) : 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      into.add(folded.slice(start, i));
      start = -1;
    }
  }
}
