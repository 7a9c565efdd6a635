import { StoreError } from '../../../domain/index.js';
import type { SearchQuery } from '../../../domain/index.js';
import { parseId } from '../context.js';
import { lookupSystemFlag } from '../../flag-rules.js';
import { FLAG_COLUMNS } from '../flags.js';
import { dayStartUtc } from '../../search/query-tree.js';
import type { Compiled } from './text-leaf.js';

const MAX_UIDS = 1_000_000;
const DAY = 86_400_000;

/** Text and header leaves, resolved beforehand (they may need async verification). */
export type ResolvedLeaves = Map<SearchQuery, Compiled>;

function dayCondition(q: Extract<SearchQuery, { type: 'date' }>): Compiled {
  const op = q.op;
  if (op !== 'before' && op !== 'on' && op !== 'since') throw new StoreError('invalid', 'invalid date comparison');
  if (q.field === 'sent') {
    // The Date header's own calendar day, precomputed (SortKeys.sentDay): RFC 3501 SENTBEFORE etc.
    dayStartUtc(q.day);
    const sql = op === 'before' ? 'm.sent_day < ?' : op === 'since' ? 'm.sent_day >= ?' : 'm.sent_day = ?';
    return { sql, params: [q.day] };
  }
  if (q.field !== 'internal' && q.field !== 'saved') throw new StoreError('invalid', 'invalid date field');
  const col = q.field === 'saved' ? 'm.saved_at' : 'm.internal_date';
  const start = dayStartUtc(q.day);
  if (op === 'before') return { sql: `${col} < ?`, params: [start] };
  if (op === 'since') return { sql: `${col} >= ?`, params: [start] };
  return { sql: `(${col} >= ? AND ${col} < ?)`, params: [start, start + DAY] };
}

function decimalId(value: unknown): number | null {
  return typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : null;
}

/** Compiles a SearchQuery tree to an SQL condition over `messages m` with bound parameters. */
export function compileSearch(query: SearchQuery, resolved: ResolvedLeaves): Compiled {
  const walk = (q: SearchQuery): Compiled => {
    switch (q.type) {
      case 'all':
        return { sql: '1', params: [] };
      case 'and':
      case 'or': {
        if (q.nodes.length === 0) return { sql: q.type === 'and' ? '1' : '0', params: [] };
        const parts = q.nodes.map(walk);
        return { sql: '(' + parts.map((p) => p.sql).join(q.type === 'and' ? ' AND ' : ' OR ') + ')', params: parts.flatMap((p) => p.params) };
      }
      case 'not': {
        const inner = walk(q.node);
        // Legacy rows (no content yet) never match text; NOT of a text leaf must still hold for them.
        return { sql: `NOT coalesce(${inner.sql}, 0)`, params: inner.params };
      }
      case 'text':
      case 'header': {
        const c = resolved.get(q);
        if (!c) throw new StoreError('invalid', 'invalid search query');
        return c;
      }
      case 'flag': {
        const flag = String(q.flag ?? '');
        if (flag.startsWith('\\')) {
          const sys = lookupSystemFlag(flag);
          // \Recent is per session and never stored; imap/ answers it. Unknown system flags are never set.
          if (!sys) return { sql: q.present ? '0' : '1', params: [] };
          return { sql: `m.${FLAG_COLUMNS[sys]} = ${q.present ? 1 : 0}`, params: [] };
        }
        const has = 'EXISTS (SELECT 1 FROM json_each(m.keywords) WHERE lower(value) = lower(?))';
        return { sql: q.present ? has : `NOT ${has}`, params: [flag.slice(0, 200)] };
      }
      case 'uid': {
        const uids = Array.isArray(q.uids) ? q.uids.slice(0, MAX_UIDS).filter((u) => Number.isSafeInteger(u)) : [];
        return { sql: 'm.uid IN (SELECT value FROM json_each(?))', params: [JSON.stringify(uids)] };
      }
      case 'modseq':
        return { sql: 'm.modseq >= ?', params: [Number(q.min) || 0] };
      case 'size': {
        const v = Number(q.value);
        if (!Number.isFinite(v)) throw new StoreError('invalid', 'invalid size');
        return { sql: q.op === 'larger' ? 'm.size > ?' : 'm.size < ?', params: [v] };
      }
      case 'date':
        return dayCondition(q);
      case 'time': {
        const t = q.at instanceof Date ? q.at.getTime() : NaN;
        if (Number.isNaN(t)) throw new StoreError('invalid', 'invalid search time');
        return { sql: q.op === 'before' ? 'm.internal_date < ?' : 'm.internal_date >= ?', params: [t] };
      }
      case 'mailbox':
        return { sql: 'm.mailbox_id = ?', params: [parseId(q.mailboxId)] };
      case 'hasAttachment':
        return { sql: 'm.has_attachments = 1', params: [] };
      case 'emailId': {
        const id = decimalId(q.value);
        return id === null ? { sql: '0', params: [] } : { sql: 'm.content_id = ?', params: [id] };
      }
      case 'threadId': {
        const id = decimalId(q.value);
        return id === null ? { sql: '0', params: [] } : { sql: 'm.thread_id = ?', params: [String(id)] };
      }
      default:
        throw new StoreError('invalid', 'unknown search operator');
    }
  };
  return walk(query);
}
