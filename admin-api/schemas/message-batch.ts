import { z } from 'zod';
import { IdParam, Line } from './common.js';
import { MessageSummary } from './mail.js';

export const MessageBatchUpdate = z
  .object({
    ids: z.array(IdParam).min(1).max(500),
    seen: z.boolean().optional(),
    flagged: z.boolean().optional(),
    mailboxId: IdParam.optional(),
  })
  .strict();
export const MessageBatchResult = z.object({
  items: z.array(MessageSummary),
  /** For each moved message: its old id and mailbox and its new id (what an Undo moves back). */
  moves: z.array(z.object({ from: z.string(), fromMailboxId: z.string(), to: z.string() })),
});
export const MessageDeleteBatch = z.object({ ids: z.array(IdParam).min(1).max(500) }).strict();

export const MailboxCreate = z.object({ path: Line(200).min(1).regex(/^[^/%*\\"]+(\/[^/%*\\"]+)*$/, 'a mailbox name (use / for levels)') }).strict();
