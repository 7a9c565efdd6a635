import { z } from 'zod';
import { IdParam, Line } from './common.js';
import { MessageSummary } from './mail.js';

export const ConversationSummary = z.object({
  threadId: z.string(),
  /** Messages of the conversation in this mailbox (capped at THREAD_CAP). */
  count: z.number().int(),
  unreadCount: z.number().int(),
  starred: z.boolean(),
  hasAttachments: z.boolean(),
  /** Senders' names (or addresses), oldest first, at most 4. */
  participants: z.array(z.string()),
  /** The newest message: what the row shows. */
  latest: MessageSummary,
  /** Ids of the conversation's messages in this mailbox, for actions on the whole conversation. */
  messageIds: z.array(z.string()),
});
export const ConversationPage = z.object({ items: z.array(ConversationSummary), nextCursor: z.string().nullable() });

export const ConversationPaging = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: Line(500).optional(),
});

export const ThreadQuery = z.object({ mailboxId: IdParam.optional() });
export const ThreadMessages = z.object({ threadId: z.string(), messages: z.array(MessageSummary) });
