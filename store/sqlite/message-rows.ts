import { randomBytes } from 'node:crypto';
import { serialize } from 'node:v8';
import type { AppendResult, PreparedMessage } from '../../domain/index.js';
import type { SqliteDb } from './db.js';
import type { WriteEffects } from './context.js';
import { cachedStatement } from './context.js';
import { normalizeFlags, splitFlags, toColumns } from './flags.js';
import { recordChange } from './journal.js';
import type { MailboxRow } from './rows.js';

/** Allocates the next UID (RFC 3501 2.3.1.1: strictly ascending, never re-used) and a new MODSEQ. */
function allocateUid(db: SqliteDb, mailboxId: number, count = 1): { firstUid: number; modseq: number; uidValidity: number } {
  const r = cachedStatement(
    db,
    `UPDATE mailboxes SET uid_next = uid_next + ?, highest_modseq = highest_modseq + 1 WHERE id = ?
     RETURNING uid_next - ? AS firstUid, highest_modseq AS modseq, uid_validity AS uidValidity`,
  ).get(count, mailboxId, count) as { firstUid: number; modseq: number; uidValidity: number };
  return r;
}

export { allocateUid };

// Display/search copies of header fields; the full values stay in the MIME tree.
const MAX_HEADER_TEXT = 16_384;

function cap(s: string | null | undefined, max: number): string {
  if (typeof s !== 'string') return '';
  return s.length > max ? s.slice(0, max) : s;
}

/** Replies join the thread of the message they refer to; anything else starts a new one. */
function resolveThread(db: SqliteDb, userId: number, msg: PreparedMessage): string {
  const refs = [...(msg.header.references ?? []), ...(msg.header.inReplyTo ? [msg.header.inReplyTo] : [])].slice(-50);
  if (refs.length > 0) {
    const found = cachedStatement(
      db,
      `SELECT thread_id FROM messages WHERE message_id_header IN (SELECT value FROM json_each(?)) AND user_id = ?
       AND thread_id IS NOT NULL LIMIT 1`,
    ).get(JSON.stringify(refs), userId) as { thread_id: string } | undefined;
    if (found) return found.thread_id;
  }
  return randomBytes(8).toString('hex');
}

export function insertMessage(
  db: SqliteDb,
  fx: WriteEffects,
  mailbox: MailboxRow,
  msg: PreparedMessage,
  opts: { flags?: readonly string[]; internalDate: number },
): AppendResult {
  const flags = toColumns(splitFlags(normalizeFlags(opts.flags ?? [])));
  const { firstUid: uid, modseq, uidValidity } = allocateUid(db, mailbox.id);
  const h = msg.header;
  const inserted = cachedStatement(
    db,
    `INSERT INTO messages (mailbox_id, user_id, uid, modseq, seen, answered, flagged, deleted, draft, keywords,
         internal_date, size, thread_id, message_id_header, sent_date, has_attachments)
       VALUES (@mailbox_id, @user_id, @uid, @modseq, @seen, @answered, @flagged, @deleted, @draft, @keywords,
         @internal_date, @size, @thread_id, @message_id_header, @sent_date, @has_attachments)
       RETURNING id`,
  ).get({
    mailbox_id: mailbox.id,
    user_id: mailbox.user_id,
    uid,
    modseq,
    ...flags,
    internal_date: opts.internalDate,
    size: msg.size,
    thread_id: resolveThread(db, mailbox.user_id, msg),
    message_id_header: h.messageId ? cap(h.messageId, 998) : null,
    sent_date: h.date instanceof Date && !Number.isNaN(h.date.getTime()) ? h.date.getTime() : null,
    has_attachments: msg.attachments.length > 0 ? 1 : 0,
  }) as { id: number };
  const messageId = inserted.id;

  cachedStatement(
    db,
    `INSERT INTO message_content (message_id, mime_tree, envelope, bodystructure, header, header_text, attachments, html)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    messageId,
    serialize(msg.mimeTree),
    serialize(msg.envelope ?? null),
    serialize(msg.bodystructure ?? null),
    serialize(msg.header),
    msg.headerText ?? '',
    JSON.stringify(msg.attachments ?? []),
    JSON.stringify(msg.html ?? []),
  );

  cachedStatement(
    db,
    `INSERT INTO message_search (message_id, subject, from_text, to_text, cc_text, bcc_text, body, filenames)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    messageId,
    cap(h.subject, MAX_HEADER_TEXT),
    cap(h.from, MAX_HEADER_TEXT),
    cap(h.to, MAX_HEADER_TEXT),
    cap(h.cc, MAX_HEADER_TEXT),
    cap(h.bcc, MAX_HEADER_TEXT),
    msg.text ?? '',
    (msg.attachments ?? []).map((a) => a.filename).filter(Boolean).join('\n'),
  );

  const sizes = new Map((msg.attachments ?? []).map((a) => [a.blobId, a.size]));
  const link = cachedStatement(db, 'INSERT INTO message_blobs (message_id, blob_id) VALUES (?, ?)');
  const ref = cachedStatement(
    db,
    'INSERT INTO blobs (id, refcount, size) VALUES (?, 1, ?) ON CONFLICT(id) DO UPDATE SET refcount = refcount + 1 RETURNING refcount',
  ).pluck();
  for (const blobId of msg.blobIds ?? []) {
    link.run(messageId, blobId);
    if ((ref.get(blobId, sizes.get(blobId) ?? 0) as number) === 1) (fx.newBlobs ??= []).push(blobId);
  }

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
 * Deletes the messages whose ids `idSource` (a SELECT of ids) yields: content, search rows (the
 * FTS trigger follows), blob references (blobs reaching 0 are queued for deletion after commit)
 * and storage accounting. Journal entries are the caller's business.
 */
export function deleteMessageRows(db: SqliteDb, fx: WriteEffects, idSource: string, params: unknown[]): void {
  db.prepare(
    `UPDATE blobs SET refcount = refcount - d.c
     FROM (SELECT blob_id, count(*) AS c FROM message_blobs WHERE message_id IN (${idSource}) GROUP BY blob_id) AS d
     WHERE blobs.id = d.blob_id`,
  ).run(...params);
  const freed = cachedStatement(db, 'DELETE FROM blobs WHERE refcount <= 0 RETURNING id').pluck().all() as string[];
  fx.freedBlobs.push(...freed);

  const usage = db
    .prepare(`SELECT user_id, sum(size) AS total FROM messages WHERE id IN (${idSource}) GROUP BY user_id`)
    .all(...params) as Array<{ user_id: number; total: number }>;
  const dec = cachedStatement(db, 'UPDATE users SET storage_used = max(0, storage_used - ?) WHERE id = ?');
  for (const u of usage) dec.run(u.total, u.user_id);

  db.prepare(`DELETE FROM message_search WHERE message_id IN (${idSource})`).run(...params);
  db.prepare(`DELETE FROM message_content WHERE message_id IN (${idSource})`).run(...params);
  db.prepare(`DELETE FROM message_blobs WHERE message_id IN (${idSource})`).run(...params);
  db.prepare(`DELETE FROM messages WHERE id IN (${idSource})`).run(...params);
}

/** idSource for an explicit id list. */
export const ID_LIST = 'SELECT value FROM json_each(?)';
