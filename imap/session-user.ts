import { ImapNo, ImapCodes } from './response-codes.js';
import type { ImapSession, SelectedState } from './types.js';

export function userIdOf(session: ImapSession): string {
  const id = session.user?.id;
  // imap-core only calls mailbox hooks after LOGIN; reaching here without a user is a bug.
  if (!id) throw new Error('IMAP hook called without an authenticated user');
  return id;
}

/** The selected mailbox, checked to be the one imap-core passed in. */
export function selectedOf(session: ImapSession, mailboxId: unknown): SelectedState {
  const sel = session.selected;
  if (!sel || String(sel.mailbox) !== String(mailboxId)) throw new ImapNo(ImapCodes.nonexistent, 'mailbox not selected');
  return sel;
}

/**
 * A store selector for reading the given UIDs: the covering range (one cheap indexed scan)
 * plus the set to keep, since the range can also hold UIDs the client did not ask for.
 * Mutations pass the exact list instead.
 */
export function readSelector(uids: number[]): { selector: { start: number; end: number } | number[]; wanted: Set<number> | null } {
  if (uids.length === 0) return { selector: [], wanted: null };
  let min = Infinity;
  let max = -Infinity;
  for (const u of uids) {
    if (u < min) min = u;
    if (u > max) max = u;
  }
  const wanted = max - min + 1 === uids.length ? null : new Set(uids);
  return { selector: { start: min, end: max }, wanted };
}
