import Router from '@koa/router';
import type { Id } from '../../domain/ids.js';
import type { MessageSummary } from '../../domain/message.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/message-batch.js';
import { storeInput, summaryOut, userMailbox } from './mail-views.js';

/**
 * Actions on many messages at once (a whole conversation from the list: archive, delete, star,
 * read, spam, label), and permanent deletion. One store call per source mailbox, not per message.
 */
export function messageBatchRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const { mail } = deps;

  /** The user's messages among `ids`, grouped by mailbox; others' and unknown ids are skipped (no existence oracle). */
  async function byMailbox(userId: Id, ids: string[]): Promise<Map<Id, { uids: number[]; ids: Id[] }>> {
    const groups = new Map<Id, { uids: number[]; ids: Id[] }>();
    for (const id of new Set(ids)) {
      const m = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await mail.getMessageById(userId, id, []) : null;
      if (!m || m.userId !== userId) continue;
      const g = groups.get(m.mailboxId) ?? { uids: [], ids: [] };
      g.uids.push(m.uid);
      g.ids.push(m.id);
      groups.set(m.mailboxId, g);
    }
    return groups;
  }

  const summaries = async (userId: Id, mailboxId: Id, uids: number[]): Promise<MessageSummary[]> =>
    uids.length
      ? (await mail.searchMessages(userId, { type: 'and', nodes: [{ type: 'mailbox', mailboxId }, { type: 'uid', uids }] }, { limit: uids.length })).items
      : [];

  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/messages/batch', summary: 'Mark read/starred and/or move many messages; answers their new summaries', auth: 'user',
    body: S.MessageBatchUpdate, response: S.MessageBatchResult, errors: [[404, 'not_found']],
    async handler({ user, body }) {
      const target = body.mailboxId !== undefined ? await userMailbox(mail, user.id, body.mailboxId) : null;
      const add: string[] = [];
      const remove: string[] = [];
      if (body.seen !== undefined) (body.seen ? add : remove).push('\\Seen');
      if (body.flagged !== undefined) (body.flagged ? add : remove).push('\\Flagged');
      const out: MessageSummary[] = [];
      const moves: Array<{ from: Id; fromMailboxId: Id; to: Id }> = [];
      for (const [mailboxId, g] of await byMailbox(user.id, body.ids)) {
        if (add.length) await storeInput(mail.updateFlags(mailboxId, g.uids, { action: 'add', flags: add }));
        if (remove.length) await storeInput(mail.updateFlags(mailboxId, g.uids, { action: 'remove', flags: remove }));
        if (target && target.id !== mailboxId) {
          const source = await mail.getMailboxById(user.id, mailboxId);
          const moved = await mail.moveMessages(mailboxId, g.uids, target.id);
          const now = await summaries(user.id, target.id, moved.destinationUids);
          const newIdByUid = new Map(now.map((m) => [m.uid, m.id]));
          const oldIdByUid = new Map(g.uids.map((uid, i) => [uid, g.ids[i]!]));
          moved.sourceUids.forEach((uid, i) => {
            const to = newIdByUid.get(moved.destinationUids[i]!);
            const from = oldIdByUid.get(uid);
            if (to && from) moves.push({ from, fromMailboxId: mailboxId, to });
          });
          // Spam training (moves into or out of Junk) sees the new copies' ids.
          if (source && deps.moveObserver) deps.moveObserver.messagesMoved({ userId: user.id, from: source, to: target, messageIds: now.map((m) => m.id) });
          out.push(...now);
        } else {
          out.push(...(await summaries(user.id, mailboxId, g.uids)));
        }
      }
      return { items: out.map(summaryOut), moves };
    },
  });

  defineRoute(r, deps, doc, {
    method: 'post', path: '/v1/messages/delete', summary: 'Delete messages for good (expunge); Trash is a move, not this', auth: 'user',
    body: S.MessageDeleteBatch, response: S.MessageBatchResult,
    async handler({ user, body, ctx }) {
      let count = 0;
      for (const [mailboxId, g] of await byMailbox(user.id, body.ids)) {
        await mail.updateFlags(mailboxId, g.uids, { action: 'add', flags: ['\\Deleted'] });
        count += (await mail.expunge(mailboxId, { uids: g.uids })).length;
      }
      await deps.accounts.audit({ userId: user.id, action: 'messages_deleted', ip: ctx.ip, details: { count } });
      return { items: [], moves: [] };
    },
  });
  return r;
}
