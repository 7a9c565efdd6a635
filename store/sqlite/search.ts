import { StoreError } from '../../domain/index.js';
import type { MailStore, SearchQuery } from '../../domain/index.js';
import { parseId } from './context.js';
import type { StoreContext } from './context.js';
import { FLAG_COLUMNS, lookupSystemFlag } from './flags.js';
import { requireMailbox } from './mailbox-rows.js';
import { decodeCursor, encodeCursor, SUMMARY_COLUMNS, toSummary } from './message-records.js';
import type { SummaryRow } from './message-records.js';
import { clampLimit } from './messages.js';

const MAX_DEPTH = 32;
const MAX_NODES = 512;
const MAX_TEXT = 1000;
const DAY = 86_400_000;

const FTS_COLUMN: Record<Extract<SearchQuery, { type: 'text' }>['field'], string | null> = {
  text: null,
  body: 'body',
  subject: 'subject',
  from: 'from_text',
  to: 'to_text',
  cc: 'cc_text',
  bcc: 'bcc_text',
  filename: 'filenames',
};

interface Compiled {
  sql: string;
  params: unknown[];
}

function likePattern(value: string): string {
  return '%' + value.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

/**
 * Full-text condition. The FTS5 expression is built only from the tokens the unicode61 tokenizer
 * would produce (runs of letters, digits, marks), each run quoted, so user input can never be
 * FTS syntax (`"`, `*`, `NEAR(`, `OR`, column filters) and goes in as a bound parameter, never as
 * SQL. The last token matches as a prefix, closer to IMAP's substring semantics (RFC 3501 6.4.4).
 */
function textCondition(field: keyof typeof FTS_COLUMN, raw: string): Compiled {
  const value = String(raw ?? '').replace(/\0/g, '').slice(0, MAX_TEXT);
  if (value.trim() === '') return { sql: '1', params: [] };
  const column = FTS_COLUMN[field];
  if (column === undefined) throw new StoreError('invalid', 'unknown text field');
  const tokens = value.match(/[\p{L}\p{N}\p{M}]+/gu);
  if (!tokens) {
    // Only punctuation: nothing the index knows; fall back to an escaped LIKE over the stored text.
    const cols = column ? [column] : Object.values(FTS_COLUMN).filter((c): c is string => c !== null);
    return {
      sql: `EXISTS (SELECT 1 FROM message_search s2 WHERE s2.message_id = m.id AND (${cols.map((c) => `s2.${c} LIKE ? ESCAPE '\\'`).join(' OR ')}))`,
      params: cols.map(() => likePattern(value)),
    };
  }
  const phrase = `"${tokens.slice(0, 64).join(' ')}" *`;
  const expr = column ? `${column} : ${phrase}` : phrase;
  return { sql: 'm.id IN (SELECT rowid FROM message_fts WHERE message_fts MATCH ?)', params: [expr] };
}

function dayStart(d: Date): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(t)) throw new StoreError('invalid', 'invalid search date');
  return Math.floor(t / DAY) * DAY;
}

/** Compiles a SearchQuery tree to an SQL condition over `messages m` with bound parameters. */
export function compileSearch(query: SearchQuery): Compiled {
  let nodes = 0;
  const walk = (q: SearchQuery, depth: number): Compiled => {
    if (++nodes > MAX_NODES || depth > MAX_DEPTH) throw new StoreError('invalid', 'search query too complex');
    if (!q || typeof q !== 'object') throw new StoreError('invalid', 'invalid search query');
    switch (q.type) {
      case 'all':
        return { sql: '1', params: [] };
      case 'and':
      case 'or': {
        if (!Array.isArray(q.nodes)) throw new StoreError('invalid', 'invalid search query');
        if (q.nodes.length === 0) return { sql: q.type === 'and' ? '1' : '0', params: [] };
        const parts = q.nodes.map((n) => walk(n, depth + 1));
        return { sql: '(' + parts.map((p) => p.sql).join(q.type === 'and' ? ' AND ' : ' OR ') + ')', params: parts.flatMap((p) => p.params) };
      }
      case 'not': {
        const inner = walk(q.node, depth + 1);
        return { sql: `NOT (${inner.sql})`, params: inner.params };
      }
      case 'text':
        return textCondition(q.field, q.value);
      case 'header': {
        const name = String(q.name ?? '').slice(0, 200);
        if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) return { sql: '0', params: [] };
        return {
          sql: 'EXISTS (SELECT 1 FROM message_content c2 WHERE c2.message_id = m.id AND heron_header_match(c2.header_text, ?, ?))',
          params: [name, String(q.value ?? '').replace(/\0/g, '').slice(0, MAX_TEXT)],
        };
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
        const uids = Array.isArray(q.uids) ? q.uids.filter((u) => Number.isSafeInteger(u)) : [];
        return { sql: 'm.uid IN (SELECT value FROM json_each(?))', params: [JSON.stringify(uids)] };
      }
      case 'modseq':
        return { sql: 'm.modseq >= ?', params: [Number(q.min) || 0] };
      case 'size': {
        const v = Number(q.value);
        if (!Number.isFinite(v)) throw new StoreError('invalid', 'invalid size');
        return { sql: q.op === 'larger' ? 'm.size > ?' : 'm.size < ?', params: [v] };
      }
      case 'date': {
        const col = q.field === 'sent' ? 'm.sent_date' : 'm.internal_date';
        const start = dayStart(q.value);
        if (q.op === 'before') return { sql: `${col} < ?`, params: [start] };
        if (q.op === 'since') return { sql: `${col} >= ?`, params: [start] };
        return { sql: `(${col} >= ? AND ${col} < ?)`, params: [start, start + DAY] };
      }
      case 'mailbox':
        return { sql: 'm.mailbox_id = ?', params: [parseId(q.mailboxId)] };
      case 'hasAttachment':
        return { sql: 'm.has_attachments = 1', params: [] };
      default:
        throw new StoreError('invalid', 'unknown search operator');
    }
  };
  return walk(query, 0);
}

export function createSearchMethods(ctx: StoreContext): Pick<MailStore, 'searchUids' | 'searchMessages'> {
  const { db } = ctx;
  return {
    async searchUids(mailboxId, query) {
      const mb = requireMailbox(db, parseId(mailboxId));
      const c = compileSearch(query);
      return db.prepare(`SELECT m.uid FROM messages m WHERE m.mailbox_id = ? AND ${c.sql} ORDER BY m.uid`).pluck().all(mb.id, ...c.params) as number[];
    },

    async searchMessages(userId, query, opts = {}) {
      const c = compileSearch(query);
      const limit = clampLimit(opts.limit);
      const cursor = decodeCursor(opts.cursor, 2);
      const after = cursor ? ' AND (m.internal_date < ? OR (m.internal_date = ? AND m.id < ?))' : '';
      const params: unknown[] = [parseId(userId), ...c.params];
      if (cursor) params.push(cursor[0], cursor[0], cursor[1]);
      const rows = db
        .prepare(
          `SELECT ${SUMMARY_COLUMNS} FROM messages m LEFT JOIN message_search s ON s.message_id = m.id
           WHERE m.user_id = ? AND ${c.sql}${after} ORDER BY m.internal_date DESC, m.id DESC LIMIT ?`,
        )
        .all(...params, limit + 1) as SummaryRow[];
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { items: page.map(toSummary), nextCursor: more && last ? encodeCursor([last.internal_date, last.id]) : null };
    },
  };
}
