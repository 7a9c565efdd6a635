import { StoreError } from '../../domain/index.js';
import type { CopyResult, Id, MailStore, UidSelector } from '../../domain/index.js';
import { cachedStatement, parseId, runWrite } from './context.js';
import type { StoreContext, WriteEffects } from './context.js';
import type { SqliteDb } from './db.js';
import { nextModseq, recordChange } from './journal.js';
import { requireMailbox } from './mailbox-rows.js';
import { allocateUid } from './message-rows.js';
import type { MailboxRow } from './rows.js';
import { uidCondition } from './uid-selector.js';
import { copyLegacyRows } from './legacy/legacy-rows.js';

interface SourceRow {
  id: number;
  uid: number;
  size: number;
}

/**
 * Moves rows by re-labelling them (new mailbox, UID, MODSEQ and SAVEDATE, RFC 8514): content and
 * blob references stay put, so a MOVE of 50k messages writes no message data.
 */
function moveRows(db: SqliteDb, fx: WriteEffects, source: MailboxRow, target: MailboxRow, rows: SourceRow[], nowMs: number): CopyResult {
  const { firstUid, modseq: targetModseq, uidValidity } = allocateUid(db, target.id, rows.length);
  const sourceModseq = nextModseq(db, source.id);
  const relabel = cachedStatement(db, 'UPDATE messages SET mailbox_id = ?, uid = ?, modseq = ?, saved_at = ? WHERE id = ?');
  const destinationUids: number[] = [];
  rows.forEach((row, i) => {
    const uid = firstUid + i;
    relabel.run(target.id, uid, targetModseq, nowMs, row.id);
    destinationUids.push(uid);
    recordChange(db, fx, { type: 'expunge', userId: String(source.user_id), mailboxId: String(source.id), uid: row.uid, modseq: sourceModseq });
    recordChange(db, fx, {
      type: 'exists',
      userId: String(target.user_id),
      mailboxId: String(target.id),
      uid,
      modseq: targetModseq,
      messageId: String(row.id),
    });
  });
  return { uidValidity, sourceUids: rows.map((r) => r.uid), destinationUids };
}

/** Every message of `source` into `target` (RENAME INBOX, RFC 3501 6.3.5). */
export function moveAll(db: SqliteDb, fx: WriteEffects, source: MailboxRow, target: MailboxRow, nowMs: number): void {
  const rows = cachedStatement(db, 'SELECT id, uid, size FROM messages WHERE mailbox_id = ? ORDER BY uid').all(source.id) as SourceRow[];
  if (rows.length > 0) moveRows(db, fx, source, target, rows, nowMs);
}

/**
 * A copy is a new message row on the same content (EMAILID stays, RFC 8474 5.1): no message
 * data is written and no blob reference count changes. Legacy rows (format 1, before their
 * upgrade) get copies of their side rows instead.
 */
function copyRows(db: SqliteDb, fx: WriteEffects, target: MailboxRow, rows: SourceRow[], nowMs: number): CopyResult {
  const { firstUid, modseq, uidValidity } = allocateUid(db, target.id, rows.length);
  const copyMessage = cachedStatement(
    db,
    `INSERT INTO messages (mailbox_id, user_id, uid, modseq, seen, answered, flagged, deleted, draft, keywords,
       internal_date, saved_at, size, content_id, thread_id, message_id_header, sent_at, sent_day, has_attachments,
       base_subject, subject_is_reply, sort_from, sort_to, sort_cc, display_from, display_to, refs)
     SELECT ?, user_id, ?, ?, seen, answered, flagged, deleted, draft, keywords,
       internal_date, ?, size, content_id, thread_id, message_id_header, sent_at, sent_day, has_attachments,
       base_subject, subject_is_reply, sort_from, sort_to, sort_cc, display_from, display_to, refs
     FROM messages WHERE id = ? RETURNING id, content_id`,
  );
  const destinationUids: number[] = [];
  let total = 0;
  rows.forEach((row, i) => {
    const uid = firstUid + i;
    const copied = copyMessage.get(target.id, uid, modseq, nowMs, row.id) as { id: number; content_id: number | null };
    if (copied.content_id === null) copyLegacyRows(db, row.id, copied.id);
    total += row.size;
    destinationUids.push(uid);
    recordChange(db, fx, { type: 'exists', userId: String(target.user_id), mailboxId: String(target.id), uid, modseq, messageId: String(copied.id) });
  });
  cachedStatement(db, 'UPDATE users SET storage_used = storage_used + ? WHERE id = ?').run(total, target.user_id);
  return { uidValidity, sourceUids: rows.map((r) => r.uid), destinationUids };
}

type CopyMoveMethods = Pick<MailStore, 'copyMessages' | 'moveMessages'>;

export function createCopyMoveMethods(ctx: StoreContext): CopyMoveMethods {
  const { db } = ctx;

  function prepare(mailboxId: Id, uids: UidSelector, targetMailboxId: Id): { source: MailboxRow; target: MailboxRow; rows: SourceRow[] } {
    const source = requireMailbox(db, parseId(mailboxId));
    const target = requireMailbox(db, parseId(targetMailboxId));
    // Mailboxes of another user are invisible, not forbidden.
    if (source.user_id !== target.user_id) throw new StoreError('not_found', 'target mailbox not found');
    const cond = uidCondition(uids);
    const rows = db
      .prepare(`SELECT id, uid, size FROM messages WHERE mailbox_id = ? AND ${cond.sql} ORDER BY uid`)
      .all(source.id, ...cond.params) as SourceRow[];
    return { source, target, rows };
  }

  return {
    async copyMessages(mailboxId, uids, targetMailboxId) {
      return runWrite(ctx, (fx) => {
        const { target, rows } = prepare(mailboxId, uids, targetMailboxId);
        if (rows.length === 0) return { uidValidity: target.uid_validity, sourceUids: [], destinationUids: [] };
        const user = cachedStatement(db, 'SELECT quota, storage_used FROM users WHERE id = ?').get(target.user_id) as { quota: number; storage_used: number };
        const adding = rows.reduce((n, r) => n + r.size, 0);
        if (user.quota > 0 && user.storage_used + adding > user.quota) throw new StoreError('quota_exceeded', 'quota exceeded');
        return copyRows(db, fx, target, rows, ctx.now());
      });
    },

    async moveMessages(mailboxId, uids, targetMailboxId) {
      return runWrite(ctx, (fx) => {
        const { source, target, rows } = prepare(mailboxId, uids, targetMailboxId);
        if (rows.length === 0) return { uidValidity: target.uid_validity, sourceUids: [], destinationUids: [] };
        // RFC 6851 allows MOVE within one mailbox: the messages get new UIDs.
        return moveRows(db, fx, source, target, rows, ctx.now());
      });
    },
  };
}
