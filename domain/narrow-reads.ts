/**
 * Narrow reads of a whole mailbox for the IMAP commands that touch every message (FETCH 1:*
 * FLAGS, SORT, THREAD on 50,000 messages): each returns only what its command needs, so no
 * header or envelope is decoded and no full MessageRecord built per message.
 */

/** What FETCH FLAGS / UID / MODSEQ answer: flags in MessageRecord.flags order (system flags first). */
export interface MessageFlagState {
  uid: number;
  /** Absent only when the caller asked for none (listFlags `modseq: false`). */
  modseq?: number;
  /** Shared between messages with the same flags: never modify it. */
  flags: readonly string[];
}

/**
 * RFC 5256 SORT keys (and RFC 5957 DISPLAYFROM/DISPLAYTO), read from SortKeys. `date` is the
 * Date header's instant, else the internal date. Strings compare by code point.
 */
export type MessageSortKey = 'arrival' | 'cc' | 'date' | 'from' | 'size' | 'subject' | 'to' | 'displayFrom' | 'displayTo';

export interface MessageSortCriterion {
  key: MessageSortKey;
  /** RFC 5256 REVERSE: this key descending; later keys and the final UID order are unaffected. */
  reverse: boolean;
}

/** What RFC 5256 THREAD needs of a message. */
export interface MessageThreadFields {
  uid: number;
  /** Message-ID, In-Reply-To and References as MessageHeaderSummary holds them. */
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** SortKeys.baseSubject and subjectIsReply. */
  baseSubject: string;
  subjectIsReply: boolean;
  /** The SORT DATE: the Date header's instant, else the internal date (ms since the epoch). */
  date: number;
}
