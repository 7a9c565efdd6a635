import { z } from 'zod';
import { Email, IdParam, IsoDate, Line, Text } from './common.js';

export const MailboxInfo = z.object({ id: z.string(), path: z.string(), specialUse: z.string().nullable(), total: z.number(), unseen: z.number() });
export const MailboxList = z.array(MailboxInfo);

export const MessageSummary = z.object({
  id: z.string(),
  mailboxId: z.string(),
  uid: z.number(),
  flags: z.array(z.string()),
  unread: z.boolean(),
  starred: z.boolean(),
  internalDate: IsoDate,
  size: z.number(),
  subject: z.string(),
  from: z.string(),
  to: z.string(),
  date: IsoDate.nullable(),
  hasAttachments: z.boolean(),
  snippet: z.string(),
  /** The conversation (RFC 8474 THREADID): the same for every message of a thread. */
  threadId: z.string(),
});
export const MessagePage = z.object({ items: z.array(MessageSummary), nextCursor: z.string().nullable() });

export const AttachmentInfo = z.object({ id: z.string(), filename: z.string(), contentType: z.string(), size: z.number(), contentId: z.string().optional() });
export const MessageDetail = MessageSummary.extend({
  headers: z.object({
    messageId: z.string().nullable(),
    subject: z.string(),
    from: z.string(),
    to: z.string(),
    cc: z.string(),
    bcc: z.string(),
    replyTo: z.string(),
    date: IsoDate.nullable(),
    inReplyTo: z.string().nullable(),
    references: z.array(z.string()),
  }),
  text: z.string(),
  /** Sanitised; remote images appear as data-heron-remote-src (see admin-api/html/sanitize.ts). */
  html: z.string(),
  /** Remote images held back in `html`: offer "show images" when > 0. */
  remoteImages: z.number().int(),
  attachments: z.array(AttachmentInfo),
});

const Flag = z.string().regex(/^\\?[A-Za-z0-9$_.-]{1,64}$/, 'a flag or keyword');
export const MessageUpdate = z
  .object({
    seen: z.boolean().optional(),
    flagged: z.boolean().optional(),
    addFlags: z.array(Flag).max(20).optional(),
    removeFlags: z.array(Flag).max(20).optional(),
    mailboxId: IdParam.optional(),
  })
  .strict();

export const SearchQueryParams = z.object({
  q: z.string().max(2000).default(''),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Line(500).optional(),
});

export const SendBody = z
  .object({
    to: z.array(Email).max(100).default([]),
    cc: z.array(Email).max(100).default([]),
    bcc: z.array(Email).max(100).default([]),
    subject: Line(998).default(''),
    text: Text(1_000_000).default(''),
    html: Text(1_000_000).optional(),
    groupIds: z.array(IdParam).max(50).optional(),
  })
  .strict();
export const SendResponse = z.object({ messageId: z.string(), delivered: z.number(), queued: z.number() });
