import { StoreError, type MailStore, type SearchQuery } from '../../../../domain/index.js';
import { resolveLeaves } from '../../../search/query-tree.js';
import type { MongoContext } from '../../context.js';
import { clampLimit, contentsFor, decodeCursor, encodeCursor, toSummary } from '../records.js';
import { compileSearch, type ResolvedLeaves } from './compile.js';
import { resolveHeaderLeaf, resolveTextLeaf } from './text-leaf.js';

/** The tree's text and header leaves resolved to one user's content ids. */
function resolveForUser(ctx: MongoContext, query: SearchQuery, userId: string): Promise<ResolvedLeaves> {
  return resolveLeaves(
    query,
    (leaf) => resolveTextLeaf(ctx.c, leaf, userId),
    (leaf) => resolveHeaderLeaf(ctx.c, leaf, userId),
  );
}

export function createSearchMethods(ctx: MongoContext): Pick<MailStore, 'searchUids' | 'searchMessages'> {
  const { c } = ctx;
  return {
    async searchUids(mailboxId, query) {
      const mb = await c.mailboxes.findOne({ _id: String(mailboxId) });
      if (!mb) throw new StoreError('not_found', 'mailbox not found');
      const filter = compileSearch(query, await resolveForUser(ctx, query, mb.userId));
      return (await c.messages.find({ $and: [{ mailboxId: mb._id }, filter] }).sort({ uid: 1 }).toArray()).map((m) => m.uid);
    },

    async searchMessages(userId, query, opts = {}) {
      const user = String(userId);
      const filter = compileSearch(query, await resolveForUser(ctx, query, user));
      const limit = clampLimit(opts.limit);
      const cursor = decodeCursor(opts.cursor, ['n', 's']);
      const after = cursor
        ? [{ $or: [{ internalDate: { $lt: new Date(cursor[0] as number) } }, { internalDate: new Date(cursor[0] as number), _id: { $lt: cursor[1] as string } }] }]
        : [];
      const docs = await c.messages
        .find({ $and: [{ userId: user }, filter, ...after] })
        .sort({ internalDate: -1, _id: -1 })
        .limit(limit + 1)
        .toArray();
      const page = docs.slice(0, limit);
      const contents = await contentsFor(c, page, ['header']);
      const last = page[page.length - 1];
      return {
        items: page.map((d) => toSummary(d, contents.get(d.contentId))),
        nextCursor: docs.length > limit && last ? encodeCursor([last.internalDate.getTime(), last._id]) : null,
      };
    },
  };
}
