import type { SearchQuery } from '../../domain/search.js';
import { tokenize, GmailQueryError, type Token } from './tokenize.js';
import { operatorQuery, KNOWN_OPERATORS, type OperatorContext } from './operators.js';

export interface ParsedGmailQuery {
  query: SearchQuery;
  /** True when the query names a mailbox (in:/label:), so the caller should not add Gmail's default Trash/Spam exclusion. */
  mentionsMailbox: boolean;
}

const MAX_DEPTH = 20;

/**
 * Parses a Gmail search string into the store's SearchQuery tree.
 * Grammar: or := and ('OR' and)* ; and := unary+ ; unary := '-' unary | '(' or ')' | term.
 * OR binds tighter than the implicit AND in Gmail ("a b OR c" is a AND (b OR c)); we follow that.
 */
export function parseGmailQuery(input: string, ctx: OperatorContext): ParsedGmailQuery {
  const tokens = tokenize(input);
  let pos = 0;
  let mentionsMailbox = false;

  function unary(depth: number): SearchQuery {
    if (depth > MAX_DEPTH) throw new GmailQueryError('query nested too deeply');
    const t = tokens[pos];
    if (!t) throw new GmailQueryError('query ends too early');
    if (t.kind === 'not') {
      pos++;
      return { type: 'not', node: unary(depth + 1) };
    }
    if (t.kind === 'lparen') {
      pos++;
      if (tokens[pos]?.kind === 'rparen') {
        pos++;
        return { type: 'all' };
      }
      const inner = andList(depth + 1);
      if (tokens[pos]?.kind !== 'rparen') throw new GmailQueryError('missing )');
      pos++;
      return inner;
    }
    if (t.kind === 'term') {
      pos++;
      return term(t);
    }
    throw new GmailQueryError(t.kind === 'rparen' ? 'unexpected )' : 'OR needs a term on both sides');
  }

  function orGroup(depth: number): SearchQuery {
    const nodes = [unary(depth)];
    while (tokens[pos]?.kind === 'or') {
      pos++;
      nodes.push(unary(depth));
    }
    return nodes.length === 1 ? nodes[0]! : { type: 'or', nodes };
  }

  function andList(depth: number): SearchQuery {
    const nodes: SearchQuery[] = [];
    while (pos < tokens.length && tokens[pos]!.kind !== 'rparen') nodes.push(orGroup(depth));
    if (nodes.length === 0) return { type: 'all' };
    return nodes.length === 1 ? nodes[0]! : { type: 'and', nodes };
  }

  function term(t: Extract<Token, { kind: 'term' }>): SearchQuery {
    if (t.op !== null && KNOWN_OPERATORS.has(t.op)) {
      if (t.op === 'in' || t.op === 'label') mentionsMailbox = true;
      return operatorQuery(t.op, t.value, ctx);
    }
    // An unknown operator is plain text, as Gmail treats it.
    const value = t.op !== null ? `${t.op}:${t.value}` : t.value;
    return { type: 'text', field: 'text', value, match: 'words' };
  }

  const query = andList(0);
  if (pos < tokens.length) throw new GmailQueryError('unexpected )');
  return { query, mentionsMailbox };
}
