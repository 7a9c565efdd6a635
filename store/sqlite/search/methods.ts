import type { MailStore, SearchQuery } from '../../../domain/index.js';
import { parseId } from '../context.js';
import type { StoreContext } from '../context.js';
import { requireMailbox } from '../mailbox-rows.js';
import { decodeCursor, encodeCursor, SUMMARY_COLUMNS, SUMMARY_JOIN, toSummary } from '../message-records.js';
import type { SummaryRow } from '../message-records.js';
import { clampLimit } from '../messages.js';
import { resolveLeaves } from '../../search/query-tree.js';
import { compileSearch } from './compile.js';
import type { ResolvedLeaves } from './compile.js';
import { resolveHeaderLeaf, resolveTextLeaf } from './text-leaf.js';
import { MAX_VERIFY } from './text-leaf.js';
import type { Scope } from './text-leaf.js';

/** The tree's text and header leaves resolved within `scope`. */
function resolveScoped(ctx: StoreContext, query: SearchQuery, scope: Scope): Promise<ResolvedLeaves> {
  return resolveLeaves(
    query,
    (leaf) => resolveTextLeaf(ctx, leaf, scope),
    (leaf) => resolveHeaderLeaf(ctx, leaf, scope),
  );
}

export function createSearchMethods(ctx: StoreContext): Pick<MailStore, 'searchUids' | 'searchMessages'> {
  const { db } = ctx;
  return {
    async searchUids(mailboxId, query) {
      const mb = requireMailbox(db, parseId(mailboxId));
      const c = compileSearch(query, await resolveScoped(ctx, query, { sql: 'm.mailbox_id = ?', params: [mb.id], budget: { verify: MAX_VERIFY } }));
      return db.prepare(`SELECT m.uid FROM messages m WHERE m.mailbox_id = ? AND ${c.sql} ORDER BY m.uid`).pluck().all(mb.id, ...c.params) as number[];
    },

    async searchMessages(userId, query, opts = {}) {
      const user = parseId(userId);
      const c = compileSearch(query, await resolveScoped(ctx, query, { sql: 'm.user_id = ?', params: [user], budget: { verify: MAX_VERIFY } }));
      const limit = clampLimit(opts.limit);
      const cursor = decodeCursor(opts.cursor, 2);
      const after = cursor ? ' AND (m.internal_date < ? OR (m.internal_date = ? AND m.id < ?))' : '';
      const params: unknown[] = [user, ...c.params];
      if (cursor) params.push(cursor[0], cursor[0], cursor[1]);
      const rows = db
        .prepare(
          `SELECT ${SUMMARY_COLUMNS} FROM messages m${SUMMARY_JOIN}
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
