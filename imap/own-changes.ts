/**
 * Changes a session made itself and already reported in its own command's responses (STORE's
 * FETCH, EXPUNGE's EXPUNGE). The store journals them like any change; when the journal is read
 * back for that session they are tagged `ignore` so imap-core does not report them twice.
 * Entries are keyed by mailbox + kind + uid (+ modseq for flags); every session reading the
 * journal needs them, so they are kept until the bounded map pushes them out.
 */
const MAX_ENTRIES = 100_000;

export interface OwnChanges {
  add(mailboxId: string, sessionId: string, keys: string[]): void;
  /** The session that made this change, if one did. */
  owner(mailboxId: string, key: string): string | undefined;
}

export function flagKey(uid: number, modseq: number): string {
  return `f:${uid}:${modseq}`;
}

export function expungeKey(uid: number): string {
  return `x:${uid}`;
}

export function createOwnChanges(): OwnChanges {
  const entries = new Map<string, string>();
  return {
    add(mailboxId, sessionId, keys) {
      for (const k of keys) {
        if (entries.size >= MAX_ENTRIES) {
          // Oldest first: Map keeps insertion order.
          const first = entries.keys().next().value;
          if (first !== undefined) entries.delete(first);
        }
        entries.set(`${mailboxId}|${k}`, sessionId);
      }
    },
    owner(mailboxId, key) {
      return entries.get(`${mailboxId}|${key}`);
    },
  };
}
