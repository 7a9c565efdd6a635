import type { Id } from './ids.js';
import type { Mailbox } from './mailbox.js';

/**
 * Told when a user moves or copies messages between mailboxes (IMAP MOVE/COPY, API). The spam
 * learner listens: into Junk teaches spam, out of Junk teaches ham. Must not throw or block.
 */
export interface MoveObserver {
  messagesMoved(event: { userId: Id; from: Mailbox; to: Mailbox; messageIds: Id[] }): void;
}
