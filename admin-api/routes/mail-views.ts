import type { MessageRecord, MessageSummary } from '../../domain/message.js';
import type { MailStore } from '../../domain/mail-store.js';
import type { Mailbox } from '../../domain/mailbox.js';
import type { Id } from '../../domain/ids.js';
import { isStoreError } from '../../domain/errors.js';
import { ApiError } from '../../gateway/index.js';

export function summaryOut(m: MessageSummary) {
  return {
    id: m.id,
    mailboxId: m.mailboxId,
    uid: m.uid,
    flags: m.flags,
    unread: !m.flags.includes('\\Seen'),
    starred: m.flags.includes('\\Flagged'),
    internalDate: m.internalDate.toISOString(),
    size: m.size,
    subject: m.subject,
    from: m.from,
    to: m.to,
    date: m.date ? m.date.toISOString() : null,
    hasAttachments: m.hasAttachments,
    snippet: m.snippet,
    threadId: m.threadId,
  };
}

/** A MessageRecord loaded with 'header' and 'attachments' as a summary row; `text` gives the snippet. */
export function recordSummary(r: MessageRecord, text = ''): MessageSummary {
  const h = r.header;
  return {
    id: r.id,
    mailboxId: r.mailboxId,
    uid: r.uid,
    flags: r.flags,
    internalDate: r.internalDate,
    size: r.size,
    subject: h?.subject ?? '',
    from: h?.from ?? '',
    to: h?.to ?? '',
    date: h?.date ?? null,
    hasAttachments: (r.attachments?.length ?? 0) > 0,
    snippet: text.replace(/\s+/g, ' ').trim().slice(0, 200),
    threadId: r.threadId,
  };
}

/** Gmail's names for the special-use mailboxes, then any path (case-insensitive). */
export { mailboxResolver } from '../../mail/gmail-query/index.js';

/** The store's cursor and paging errors are the caller's fault: 400, not 500. */
export async function storeInput<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (isStoreError(err, 'invalid')) throw new ApiError(400, 'invalid_request', err.message);
    throw err;
  }
}

export async function userMailbox(mail: MailStore, userId: Id, mailboxId: Id): Promise<Mailbox> {
  const box = /^[A-Za-z0-9_-]{1,64}$/.test(mailboxId) ? await mail.getMailboxById(userId, mailboxId) : null;
  if (!box || box.userId !== userId) throw new ApiError(404, 'not_found', 'mailbox not found');
  return box;
}
