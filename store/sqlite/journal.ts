import type { ChangeEvent } from '../../domain/index.js';
import type { SqliteDb } from './db.js';
import type { WriteEffects } from './context.js';
import { cachedStatement } from './context.js';

interface JournalRow {
  mailbox_id: number;
  user_id: number;
  modseq: number;
  type: ChangeEvent['type'];
  uid: number | null;
  message_id: number | null;
  flags: string | null;
  action: string | null;
  path: string | null;
}

/**
 * Appends the event to its mailbox journal (same transaction as the change) and queues it for
 * publishing. A catch-up (RFC 7162 CHANGEDSINCE / QRESYNC) needs only a message's latest flags,
 * so older flags entries of the same message are dropped, and all of them once it is expunged:
 * the journal grows with messages delivered and expunged, not with every STORE.
 */
export function recordChange(db: SqliteDb, fx: WriteEffects, event: ChangeEvent): void {
  const ev = event;
  if (ev.type === 'flags' || ev.type === 'expunge') {
    cachedStatement(db, "DELETE FROM journal WHERE mailbox_id = ? AND uid = ? AND type = 'flags'").run(Number(ev.mailboxId), ev.uid);
  }
  cachedStatement(db, 
    'INSERT INTO journal (mailbox_id, modseq, type, uid, message_id, flags, action, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    Number(ev.mailboxId),
    ev.modseq,
    ev.type,
    'uid' in ev ? ev.uid : null,
    ev.type === 'exists' ? Number(ev.messageId) : null,
    ev.type === 'flags' ? JSON.stringify(ev.flags) : null,
    ev.type === 'mailbox' ? ev.action : null,
    ev.type === 'mailbox' ? ev.path : null,
  );
  fx.events.push(event);
}

/** Bumps and returns the mailbox's HIGHESTMODSEQ (RFC 7162: strictly increasing per mailbox). */
export function nextModseq(db: SqliteDb, mailboxId: number): number {
  return cachedStatement(db, 'UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = ? RETURNING highest_modseq').pluck().get(mailboxId) as number;
}

export function readChanges(db: SqliteDb, mailboxId: number, sinceModseq: number): ChangeEvent[] {
  const rows = db
    .prepare(
      `SELECT j.*, m.user_id FROM journal j JOIN mailboxes m ON m.id = j.mailbox_id
       WHERE j.mailbox_id = ? AND j.modseq > ? ORDER BY j.modseq, j.id`,
    )
    .all(mailboxId, sinceModseq) as JournalRow[];
  return rows.map((r): ChangeEvent => {
    const base = { userId: String(r.user_id), mailboxId: String(r.mailbox_id), modseq: r.modseq };
    switch (r.type) {
      case 'exists':
        return { ...base, type: 'exists', uid: r.uid!, messageId: String(r.message_id) };
      case 'expunge':
        return { ...base, type: 'expunge', uid: r.uid! };
      case 'flags':
        return { ...base, type: 'flags', uid: r.uid!, flags: JSON.parse(r.flags ?? '[]') as string[] };
      default:
        return { ...base, type: 'mailbox', action: r.action as 'create' | 'rename' | 'delete', path: r.path ?? '' };
    }
  });
}
