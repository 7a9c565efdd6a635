import type { ContentSegment, MimePart, PreparedMessage } from './message.js';
import type { Id } from './ids.js';

/**
 * A stored message as the search text extractor sees it: its MIME structure and a reader of
 * byte ranges of its exact bytes (inline bytes and blob bodies alike).
 */
export interface StoredMessageView {
  size: number;
  structure: MimePart;
  /** Bytes [start, end) of the message. */
  read(start: number, end: number): Promise<Buffer>;
}

/**
 * Re-derives `PreparedMessage.search` from a stored message, exactly as it was computed at
 * prepare time. Injected into a store by server/ (the store may not import mail/): IMAP
 * substring search (RFC 3501 6.4.4) uses the token index only to find candidates and verifies
 * them against this text. `body: false` lets it skip reading body parts.
 */
export type MessageTextExtractor = (message: StoredMessageView, want: { body: boolean }) => Promise<{ headers: string; body: string }>;

/** A message kept in a format older than format 2, with its exact bytes rebuilt by the store. */
export interface LegacyMessage {
  messageId: Id;
  userId: Id;
  size: number;
  content: ContentSegment[];
}

/**
 * Upgrading a data directory written before format 2: old rows stay readable (flags, UIDs,
 * bytes) until server/ re-parses their bytes with the current parser and rewrites them here,
 * at start. Backends that never stored the old format return nothing.
 */
export interface LegacyMessages {
  /** How many messages are still in an old format. */
  count(): Promise<number>;
  /** Up to `limit` old messages, lowest id first, with ids above `afterId` (for paging past failures). */
  list(limit: number, afterId?: Id): Promise<LegacyMessage[]>;
  /** Replaces the stored form of one old message; uid, flags, dates and mailbox stay. */
  rewrite(messageId: Id, message: PreparedMessage): Promise<void>;
}
