import type { ClaimedEntry, QueueEntry, QueueKind } from '../../../domain/queue.js';

export interface EntryRow {
  id: number;
  message_id: number;
  domain: string;
  recipients: string;
  next_attempt_at: number;
  attempts: number;
  last_error: string | null;
  lease: string | null;
  lease_until: number | null;
  sender: string;
  user_id: string | null;
  kind: string;
  size: number;
  created_at: number;
}

export const ENTRY_COLUMNS = `e.id, e.message_id, e.domain, e.recipients, e.next_attempt_at, e.attempts, e.last_error,
  e.lease, e.lease_until, m.sender, m.user_id, m.kind, m.size, m.created_at`;

export function toEntry(row: EntryRow, now: number): QueueEntry {
  return {
    id: String(row.id),
    messageId: String(row.message_id),
    sender: row.sender,
    domain: row.domain,
    recipients: JSON.parse(row.recipients) as string[],
    userId: row.user_id,
    kind: row.kind as QueueKind,
    size: row.size,
    createdAt: new Date(row.created_at),
    nextAttemptAt: new Date(row.next_attempt_at),
    attempts: row.attempts,
    lastError: row.last_error,
    status: row.lease_until !== null && row.lease_until > now ? 'sending' : 'queued',
  };
}

export function toClaimed(row: EntryRow, lease: string, leaseUntil: number): ClaimedEntry {
  return { ...toEntry(row, 0), status: 'sending', lease, leaseUntil: new Date(leaseUntil) };
}

/** Ids arrive as decimal text; anything else names no row. */
export function rowId(id: string): number | null {
  return /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : null;
}
