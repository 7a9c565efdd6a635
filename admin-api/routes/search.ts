import Router from '@koa/router';
import type { SearchQuery } from '../../domain/search.js';
import { ApiError } from '../../gateway/index.js';
import { parseGmailQuery, GmailQueryError } from '../../mail/gmail-query/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/mail.js';
import { mailboxResolver, storeInput, summaryOut } from './mail-views.js';

/** Gmail-style search over the store's full-text index, newest first. */
export function searchRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/search', summary: 'Search with Gmail operators', auth: 'user', query: S.SearchQueryParams,
    response: S.MessagePage, errors: [[400, 'invalid_query']],
    async handler({ user, query }) {
      const boxes = await deps.mail.listMailboxes(user.id);
      let parsed;
      try {
        parsed = parseGmailQuery(query.q, { now: deps.clock.now(), resolveMailbox: mailboxResolver(boxes) });
      } catch (err) {
        if (err instanceof GmailQueryError) throw new ApiError(400, 'invalid_query', err.message);
        throw err;
      }
      let q: SearchQuery = parsed.query;
      if (!parsed.mentionsMailbox) {
        // As in Gmail, Trash and Spam are searched only when asked for with in:.
        const hidden = boxes.filter((b) => b.specialUse === '\\Trash' || b.specialUse === '\\Junk');
        if (hidden.length) q = { type: 'and', nodes: [q, ...hidden.map((b): SearchQuery => ({ type: 'not', node: { type: 'mailbox', mailboxId: b.id } }))] };
      }
      const page = await storeInput(deps.mail.searchMessages(user.id, q, { limit: query.limit, cursor: query.cursor ?? null }));
      return { items: page.items.map(summaryOut), nextCursor: page.nextCursor };
    },
  });
  return r;
}
