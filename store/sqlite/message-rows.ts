import type { AppendResult, PreparedMessage } from '../../domain/index.js';
import type { SqliteDb } from './db.js';
import type { WriteEffects } from './context.js';
import { cachedStatement } from './context.js';
import { normalizeFlags } from '../flag-rules.js';
import { splitFlags, toColumns } from './flags.js';
import { recordChange } from './journal.js';
import { releaseContents } from './contents.js';
import { releaseLegacyRows } from './legacy/legacy-rows.js';
import type { MailboxRow } from './rows.js';

/** Allocates the next UID (RFC 3501 2.3.1.1: strictly ascending, never re-used) and a new MODSEQ. */
export function allocateUid(db: SqliteDb, mailboxId: number, count = 1): { firstUid: number; modseq: number; uidValidity: number } {
  return cachedStatement(
    db,
    `UPDATE mailboxes SET uid_next = uid_next + ?, highest_modseq = highest_modseq + 1 WHERE id = ?
     RETURNING uid_next - ? AS firstUid, highest_modseq AS modseq, uid_validity AS uidValidity`,
  ).get(count, mailboxId, count) as { firstUid: number; modseq: number; uidValidity: number };
}

function cap(s: string | null | undefined, max: number): string {
  if (typeof s !== 'string') return '';
  return s.length > max ? s.slice(0, max) : s;
}

/** Message-IDs this message refers to (RFC 5322 3.6.4), nearest last; capped against hostile headers. */
export function referencedIds(msg: PreparedMessage): string[] {
  const refs = [...(msg.header.references ?? []), ...(msg.header.inReplyTo ? [msg.header.inReplyTo] : [])];
  return refs.filter((r) => typeof r === 'string' && r.length > 0 && r.length <= 998).slice(-50);
}

/**
 * Replies join the conversation of a message of the same user they refer to; anything else
 * starts one whose id is its own EMAILID (as Gmail's X-GM-THRID is its first message's X-GM-MSGID).
 */
function resolveThread(db: SqliteDb, userId: number, refs: string[], contentId: number): string {
  if (refs.length > 0) {
    const found = cachedStatement(
      db,
      `SELECT thread_id FROM messages WHERE message_id_header IN (SELECT value FROM json_each(?)) AND user_id = ?
       AND thread_id IS NOT NULL LIMIT 1`,
    )
      .pluck()
      .get(JSON.stringify(refs), userId) as string | undefined;
    if (found) return found;
  }
  return String(contentId);
}

const MESSAGE_COLUMNS = `mailbox_id, user_id, uid, modseq, seen, answered, flagged, deleted, draft, keywords,
  internal_date, saved_at, size, content_id, thread_id, message_id_header, sent_at, sent_day, has_attachments,
  base_subject, subject_is_reply, sort_from, sort_to, sort_cc, display_from, display_to, refs`;

/** One message row (a copy of stored content `contentId` in `mailbox`), journaled as `exists`. */
export function insertMessage(
  db: SqliteDb,
  fx: WriteEffects,
  mailbox: MailboxRow,
  msg: PreparedMessage,
  contentId: number,
  opts: { flags?: readonly string[]; internalDate: number; savedAt: number },
): AppendResult {
  const flags = toColumns(splitFlags(normalizeFlags(opts.flags ?? [])));
  const { firstUid: uid, modseq, uidValidity } = allocateUid(db, mailbox.id);
  const h = msg.header;
  const k = msg.sortKeys;
  const refs = referencedIds(msg);
  const messageId = cachedStatement(
    db,
    `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (${MESSAGE_COLUMNS.split(',').map(() => '?').join(', ')}) RETURNING id`,
  )
    .pluck()
    .get(
      mailbox.id,
      mailbox.user_id,
      uid,
      modseq,
      flags.seen,
      flags.answered,
      flags.flagged,
      flags.deleted,
      flags.draft,
      flags.keywords,
      opts.internalDate,
      opts.savedAt,
      msg.size,
      contentId,
      resolveThread(db, mailbox.user_id, refs, contentId),
      h.messageId ? cap(h.messageId, 998) : null,
      Number.isFinite(k.sentAt) ? k.sentAt : null,
      Number.isSafeInteger(k.sentDay) ? k.sentDay : null,
      msg.attachments.length > 0 ? 1 : 0,
      cap(k.baseSubject, 1000),
      k.subjectIsReply ? 1 : 0,
      cap(k.from, 320),
      cap(k.to, 320),
      cap(k.cc, 320),
      cap(k.displayFrom, 320),
      cap(k.displayTo, 320),
      refs.length > 0 ? JSON.stringify(refs) : null,
    ) as number;

  cachedStatement(db, 'UPDATE users SET storage_used = storage_used + ? WHERE id = ?').run(msg.size, mailbox.user_id);
  recordChange(db, fx, {
    type: 'exists',
    userId: String(mailbox.user_id),
    mailboxId: String(mailbox.id),
    uid,
    modseq,
    messageId: String(messageId),
  });
  return { userId: String(mailbox.user_id), mailboxId: String(mailbox.id), messageId: String(messageId), uid, uidValidity, modseq };
}

/**
 * Deletes the messages whose ids `idSource` (a SELECT of ids) yields, with storage accounting;
 * their content goes too once no other copy refers to it (blobs reaching 0 are queued for
 * deletion after commit). Journal entries are the caller's business.
 */
export function deleteMessageRows(db: SqliteDb, fx: WriteEffects, idSource: string, params: unknown[]): void {
  const contentIds = db
    .prepare(`SELECT DISTINCT content_id FROM messages WHERE id IN (${idSource}) AND content_id IS NOT NULL`)
    .pluck()
    .all(...params) as number[];
  releaseLegacyRows(db, fx, idSource, params);

  const usage = db
    .prepare(`SELECT user_id, sum(size) AS total FROM messages WHERE id IN (${idSource}) GROUP BY user_id`)
    .all(...params) as Array<{ user_id: number; total: number }>;
  const dec = cachedStatement(db, 'UPDATE users SET storage_used = max(0, storage_used - ?) WHERE id = ?');
  for (const u of usage) dec.run(u.total, u.user_id);

  db.prepare(`DELETE FROM messages WHERE id IN (${idSource})`).run(...params);
  releaseContents(db, fx, contentIds);
}

/** idSource for an explicit id list. */
export const ID_LIST = 'SELECT value FROM json_each(?)';
