/**
 * imap-core's parsed SEARCH terms (RFC 3501 6.4.4, MODSEQ RFC 7162 3.1.5) to the domain
 * SearchQuery; the store answers it from indexed columns and its full-text index.
 */
import type { SearchQuery } from '../domain/index.js';
import { ImapCodes, ImapNo } from './response-codes.js';
import type { ImapSearchTerm } from './types.js';

const MAX_DEPTH = 64;
const TEXT_HEADERS = new Set(['subject', 'from', 'to', 'cc', 'bcc']);
const SYSTEM_FLAGS = new Map(['\\seen', '\\answered', '\\flagged', '\\deleted', '\\draft'].map((f) => [f, '\\' + f[1]!.toUpperCase() + f.slice(2)]));

/** IMAP dates are "1-Feb-1994"; compared by day in UTC as the domain says. */
function parseImapDate(value: unknown): Date {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(String(value ?? '').trim());
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  const month = m ? months.indexOf(m[2]!.toLowerCase()) : -1;
  if (!m || month < 0) throw new ImapNo(ImapCodes.cannot, 'Invalid date');
  return new Date(Date.UTC(Number(m[3]), month, Number(m[1])));
}

function dateOp(op: unknown): 'before' | 'on' | 'since' {
  if (op === '<') return 'before';
  if (op === '=') return 'on';
  return 'since';
}

function flagTerm(term: ImapSearchTerm): SearchQuery {
  const raw = String(term.value ?? '');
  const present = term.exists !== false;
  if (raw.toLowerCase() === '\\recent') {
    // \Recent is not kept (flags.ts): nothing is recent, everything is "not recent".
    return present ? { type: 'not', node: { type: 'all' } } : { type: 'all' };
  }
  const flag = SYSTEM_FLAGS.get(raw.toLowerCase()) ?? raw;
  return { type: 'flag', flag, present };
}

export function toSearchQuery(terms: ImapSearchTerm[] | ImapSearchTerm, depth = 0): SearchQuery {
  if (depth > MAX_DEPTH) throw new ImapNo(ImapCodes.limit, 'Search query too deep');
  if (Array.isArray(terms)) {
    const nodes = terms.filter((t) => t && t.key !== 'charset').map((t) => toSearchQuery(t, depth + 1));
    if (nodes.length === 0) return { type: 'all' };
    return nodes.length === 1 ? nodes[0]! : { type: 'and', nodes };
  }
  const t = terms;
  switch (t.key) {
    case 'all':
    case 'charset':
      return { type: 'all' };
    case 'not':
      return { type: 'not', node: toSearchQuery(t.value as ImapSearchTerm, depth + 1) };
    case 'or':
      return { type: 'or', nodes: (t.value as ImapSearchTerm[]).map((v) => toSearchQuery(v, depth + 1)) };
    case 'flag':
      return flagTerm(t);
    case 'uid':
      return { type: 'uid', uids: Array.isArray(t.value) ? (t.value as number[]).map(Number) : [] };
    case 'modseq':
      return { type: 'modseq', min: Number(t.value) || 0 };
    case 'size':
      return { type: 'size', op: t.operator === '<' ? 'smaller' : 'larger', value: Number(t.value) || 0 };
    case 'internaldate':
      return { type: 'date', field: 'internal', op: dateOp(t.operator), value: parseImapDate(t.value) };
    case 'date':
      return { type: 'date', field: 'sent', op: dateOp(t.operator), value: parseImapDate(t.value) };
    case 'text':
      return { type: 'text', field: 'text', value: String(t.value ?? '') };
    case 'body':
      return { type: 'text', field: 'body', value: String(t.value ?? '') };
    case 'header': {
      const name = String(t.header ?? '').toLowerCase();
      const value = String(t.value ?? '');
      if (TEXT_HEADERS.has(name) && value) return { type: 'text', field: name as 'subject', value };
      return { type: 'header', name, value };
    }
    default:
      throw new ImapNo(ImapCodes.cannot, `Unsupported search key ${t.key}`);
  }
}
