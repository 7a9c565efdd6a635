import Router from '@koa/router';
import type { Id } from '../../domain/ids.js';
import type { MessageSummary } from '../../domain/message.js';
import type { SpecialUse } from '../../domain/mailbox.js';
import type { SearchQuery } from '../../domain/search.js';
import { notFound } from '../../gateway/index.js';
import type { ApiDeps } from '../deps.js';
import type { OpenApiCollector } from '../openapi.js';
import { defineRoute } from '../route.js';
import * as S from '../schemas/conversations.js';
import { storeInput, summaryOut, userMailbox } from './mail-views.js';

/** Messages of one conversation looked at (a longer thread shows as "200"). */
export const THREAD_CAP = 200;
/** Thread members read for one page of rows: one query for all the page's threads. */
const MEMBERS_CAP = 5_000;
/** Messages walked per page request: a page of huge threads answers early with a cursor. */
const WALK_CAP = 2_000;

const threadKey = (m: MessageSummary) => m.threadId || `m:${m.id}`;

/** Special-use names accepted in place of an id, so a page can ask for the inbox before it knows its id. */
const SPECIAL_ALIASES = new Map<string, SpecialUse>([
  ['inbox', '\\Inbox'],
  ['sent', '\\Sent'],
  ['drafts', '\\Drafts'],
  ['junk', '\\Junk'],
  ['trash', '\\Trash'],
  ['archive', '\\Archive'],
]);

/** First name-ish part of a From display string: `Ann Example <ann@x>` -> `Ann Example`. */
function senderName(from: string): string {
  const first = from.split(',')[0]!.trim();
  const named = /^"?([^"<]+?)"?\s*</.exec(first);
  return (named ? named[1]! : first.replace(/[<>]/g, '')).trim() || '(unknown)';
}

/**
 * Gmail's list: one row per conversation, at the place of its newest message. Walks the
 * mailbox's messages newest first (the store's own keyset pages) and keeps a message only if it
 * is the newest of its thread in this mailbox, so a conversation shows once however many pages
 * its messages span. Work per page: one keyset page of the mailbox plus one indexed query for
 * the members of all the threads on it.
 */
export function conversationsRouter(deps: ApiDeps, doc: OpenApiCollector): Router {
  const r = new Router();
  const { mail } = deps;

  /** The messages in this mailbox of every given thread, grouped by thread (one indexed query). */
  const membersOf = async (userId: Id, mailboxId: Id, threadIds: string[]): Promise<Map<string, MessageSummary[]>> => {
    const groups = new Map<string, MessageSummary[]>();
    if (!threadIds.length) return groups;
    const q: SearchQuery = { type: 'and', nodes: [{ type: 'mailbox', mailboxId }, { type: 'or', nodes: threadIds.map((value): SearchQuery => ({ type: 'threadId', value })) }] };
    for (const m of (await mail.searchMessages(userId, q, { limit: MEMBERS_CAP })).items) {
      const g = groups.get(m.threadId) ?? [];
      if (g.length < THREAD_CAP) g.push(m);
      groups.set(m.threadId, g);
    }
    return groups;
  };

  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/mailboxes/:id/conversations', summary: 'A page of conversations (threads), newest first; summaries only. `:id` may be inbox, sent, drafts, junk, trash or archive', auth: 'user',
    query: S.ConversationPaging, response: S.ConversationPage, errors: [[404, 'not_found']],
    async handler({ user, params, query }) {
      const alias = SPECIAL_ALIASES.get(params.id!);
      const box = alias ? await mail.getSpecialMailbox(user.id, alias) : await userMailbox(mail, user.id, params.id!);
      if (!box) throw notFound('mailbox');
      const items: Array<ReturnType<typeof conversationOut>> = [];
      const decided = new Set<string>();
      let cursor: string | null = query.cursor ?? null;
      let walked = 0;
      do {
        // Never ask for more messages than rows still wanted: each message yields at most one
        // row, so a store page is always used up whole and its cursor stays exact.
        const page = await storeInput(mail.listMessages(box.id, { limit: query.limit - items.length, cursor }));
        cursor = page.nextCursor;
        walked += page.items.length;
        const fresh = [...new Set(page.items.filter((m) => m.threadId && !decided.has(m.threadId)).map((m) => m.threadId))];
        const members = await membersOf(user.id, box.id, fresh);
        for (const m of page.items) {
          const key = threadKey(m);
          if (decided.has(key)) continue;
          decided.add(key);
          const group = (m.threadId && members.get(m.threadId)) || [m];
          // The newest of the thread here is its head; a newer one means the row was on an earlier page.
          if (group.some((x) => x.uid > m.uid)) continue;
          items.push(conversationOut(key, m, group));
        }
      } while (cursor && items.length < query.limit && walked < WALK_CAP);
      return { items, nextCursor: cursor };
    },
  });

  defineRoute(r, deps, doc, {
    method: 'get', path: '/v1/threads/:threadId', summary: 'The messages of a conversation across mailboxes, oldest first (summaries)', auth: 'user',
    query: S.ThreadQuery, response: S.ThreadMessages, errors: [[404, 'not_found']],
    async handler({ user, params, query }) {
      const threadId = params.threadId!;
      if (!/^[A-Za-z0-9_:-]{1,64}$/.test(threadId)) throw notFound('thread');
      const boxes = await mail.listMailboxes(user.id);
      const viewing = query.mailboxId ? boxes.find((b) => b.id === query.mailboxId) : undefined;
      // As in Gmail, copies in Trash and Spam belong to the conversation only when that is where you look.
      const hidden = new Set(boxes.filter((b) => (b.specialUse === '\\Trash' || b.specialUse === '\\Junk') && b.id !== viewing?.id).map((b) => b.id));
      let found: MessageSummary[];
      if (threadId.startsWith('m:')) {
        const m = await mail.getMessageById(user.id, threadId.slice(2), ['header', 'attachments']);
        found = m ? (await mail.searchMessages(user.id, { type: 'and', nodes: [{ type: 'mailbox', mailboxId: m.mailboxId }, { type: 'uid', uids: [m.uid] }] })).items : [];
      } else {
        found = (await mail.searchMessages(user.id, { type: 'threadId', value: threadId }, { limit: THREAD_CAP })).items;
      }
      const messages = found.filter((m) => !hidden.has(m.mailboxId));
      if (!messages.length) throw notFound('thread');
      // Date headers have one-second resolution: the arrival time orders replies within a second.
      messages.sort((a, b) => (a.date ?? a.internalDate).getTime() - (b.date ?? b.internalDate).getTime() || a.internalDate.getTime() - b.internalDate.getTime());
      return { threadId, messages: messages.map(summaryOut) };
    },
  });
  return r;
}

function conversationOut(threadId: string, head: MessageSummary, members: MessageSummary[]) {
  const oldestFirst = [...members].sort((a, b) => a.uid - b.uid);
  const participants: string[] = [];
  for (const m of oldestFirst) {
    const name = senderName(m.from);
    if (!participants.includes(name)) participants.push(name);
    if (participants.length === 4) break;
  }
  return {
    threadId,
    count: members.length,
    unreadCount: members.filter((m) => !m.flags.includes('\\Seen')).length,
    starred: members.some((m) => m.flags.includes('\\Flagged')),
    hasAttachments: members.some((m) => m.hasAttachments),
    participants,
    latest: summaryOut(head),
    messageIds: oldestFirst.map((m) => m.id),
  };
}
