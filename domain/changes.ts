import type { Id } from './ids.js';

/**
 * Protocol-neutral change events. The store appends them to a per-mailbox journal in the same
 * transaction as the change (so IMAP can catch up by MODSEQ after a reconnect) and publishes them
 * to the Notifier after the commit (so IDLE sessions learn of them at once).
 */
export type ChangeEvent =
  | { type: 'exists'; userId: Id; mailboxId: Id; uid: number; modseq: number; messageId: Id }
  | { type: 'expunge'; userId: Id; mailboxId: Id; uid: number; modseq: number }
  | { type: 'flags'; userId: Id; mailboxId: Id; uid: number; modseq: number; flags: string[] }
  | { type: 'mailbox'; userId: Id; mailboxId: Id; action: 'create' | 'rename' | 'delete'; path: string; modseq: number };

export type ChangeListener = (event: ChangeEvent) => void;

/** In-process by default; Redis pub/sub where nodes are many. */
export interface Notifier {
  publish(events: ChangeEvent[]): void;
  /** Returns the unsubscribe function. */
  subscribe(userId: Id, listener: ChangeListener): () => void;
  close(): Promise<void>;
}
