import { StoreError } from '../../domain/index.js';
import type { SpecialUse } from '../../domain/index.js';
import type { SqliteDb } from './db.js';
import type { WriteEffects } from './context.js';
import { cachedStatement } from './context.js';
import { recordChange } from './journal.js';
import type { MailboxRow } from './rows.js';
import { addSubscription } from './subscriptions.js';

/**
 * RFC 3501 2.3.1.1: UIDVALIDITY must change whenever a name is re-used for a new mailbox. A
 * per-user counter that starts at the clock's seconds and only goes up gives that even for
 * delete+create within the same second.
 */
export function nextUidValidity(db: SqliteDb, userId: number, nowMs: number): number {
  const seconds = Math.floor(nowMs / 1000);
  return db
    .prepare('UPDATE users SET last_uid_validity = max(last_uid_validity + 1, ?) WHERE id = ? RETURNING last_uid_validity')
    .pluck()
    .get(seconds, userId) as number;
}

/**
 * A new mailbox row, journaled as `create`. `subscribed: true` adds the subscription; the row's
 * own `subscribed` column mirrors the subscriptions table (subscriptions.ts), so a name that was
 * subscribed before the mailbox existed comes back subscribed.
 */
export function insertMailboxRow(
  db: SqliteDb,
  fx: WriteEffects,
  userId: number,
  path: string,
  opts: { specialUse?: SpecialUse | null; subscribed?: boolean; nowMs: number },
): MailboxRow {
  const uidValidity = nextUidValidity(db, userId, opts.nowMs);
  if (opts.subscribed === true) addSubscription(db, userId, path);
  const row = cachedStatement(
    db,
    `INSERT INTO mailboxes (user_id, path, special_use, uid_validity, uid_next, highest_modseq, subscribed, created_at)
     VALUES (?, ?, ?, ?, 1, 1, EXISTS (SELECT 1 FROM subscriptions WHERE user_id = ? AND path = ?), ?) RETURNING *`,
  ).get(userId, path, opts.specialUse ?? null, uidValidity, userId, path, opts.nowMs) as MailboxRow;
  recordChange(db, fx, { type: 'mailbox', userId: String(userId), mailboxId: String(row.id), action: 'create', path, modseq: 1 });
  return row;
}

export function mailboxRowById(db: SqliteDb, mailboxId: number | null): MailboxRow | undefined {
  if (mailboxId === null) return undefined;
  return cachedStatement(db, 'SELECT * FROM mailboxes WHERE id = ?').get(mailboxId) as MailboxRow | undefined;
}

export function mailboxRowByPath(db: SqliteDb, userId: number, path: string): MailboxRow | undefined {
  return cachedStatement(db, 'SELECT * FROM mailboxes WHERE user_id = ? AND path = ?').get(userId, path) as MailboxRow | undefined;
}

export function requireMailbox(db: SqliteDb, mailboxId: number | null): MailboxRow {
  const row = mailboxRowById(db, mailboxId);
  if (!row) throw new StoreError('not_found', 'mailbox not found');
  return row;
}
