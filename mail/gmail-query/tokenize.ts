/**
 * Lexer for Gmail-style queries: words, "phrases", operator:value (value may be quoted),
 * parentheses, OR (upper-case only, as in Gmail) and a leading '-' for NOT.
 */
export type Token =
  | { kind: 'lparen' }
  | { kind: 'rparen' }
  | { kind: 'or' }
  | { kind: 'not' }
  | { kind: 'term'; op: string | null; value: string; quoted: boolean };

export class GmailQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GmailQueryError';
  }
}

export const MAX_QUERY_LENGTH = 2000;
export const MAX_TOKENS = 100;

const OPERATOR = /^([a-z_]+):/i;

export function tokenize(input: string): Token[] {
  if (input.length > MAX_QUERY_LENGTH) throw new GmailQueryError(`query longer than ${MAX_QUERY_LENGTH} characters`);
  // Control characters (NUL included) carry no meaning in a query; they separate words.
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  const s = input.replace(/[\u0000-\u001f\u007f]/g, ' ');
  const out: Token[] = [];
  let i = 0;
  const push = (t: Token) => {
    out.push(t);
    if (out.length > MAX_TOKENS) throw new GmailQueryError(`query has more than ${MAX_TOKENS} terms`);
  };
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '(') { push({ kind: 'lparen' }); i++; continue; }
    if (c === ')') { push({ kind: 'rparen' }); i++; continue; }
    if (c === '-' && i + 1 < s.length && s[i + 1] !== ' ' && (i === 0 || /[\s(]/.test(s[i - 1]!))) {
      push({ kind: 'not' });
      i++;
      continue;
    }
    if (c === '"') {
      const [value, next] = readQuoted(s, i);
      if (value.trim()) push({ kind: 'term', op: null, value, quoted: true });
      i = next;
      continue;
    }
    let j = i;
    while (j < s.length && !/[\s()"]/.test(s[j]!)) j++;
    let word = s.slice(i, j);
    const m = OPERATOR.exec(word);
    if (m) {
      const op = m[1]!.toLowerCase();
      let value = word.slice(m[0].length);
      let quoted = false;
      if (value === '' && s[j] === '"') {
        [value, j] = readQuoted(s, j);
        quoted = true;
      }
      push({ kind: 'term', op, value, quoted });
      i = j;
      continue;
    }
    if (word === 'OR' || word === '|') push({ kind: 'or' });
    else if (word === 'AND') { /* implicit anyway */ }
    else {
      word = word.trim();
      if (word) push({ kind: 'term', op: null, value: word, quoted: false });
    }
    i = j;
  }
  return out;
}

/** Reads a "..." run starting at s[start] === '"'; an unterminated quote runs to the end. */
function readQuoted(s: string, start: number): [string, number] {
  const end = s.indexOf('"', start + 1);
  if (end < 0) return [s.slice(start + 1), s.length];
  return [s.slice(start + 1, end), end + 1];
}
