import type { Id } from './ids.js';

/**
 * One search language for IMAP SEARCH (RFC 3501 6.4.4) and Gmail-style API queries; both are
 * parsed into this tree and the store answers it from indexed columns and the full-text index,
 * never by scanning raw messages.
 */
export type SearchQuery =
  | { type: 'all' }
  | { type: 'and'; nodes: SearchQuery[] }
  | { type: 'or'; nodes: SearchQuery[] }
  | { type: 'not'; node: SearchQuery }
  /** Full-text: words or a phrase in the given field ('text' = headers + body + attachment names). */
  | { type: 'text'; field: 'text' | 'body' | 'subject' | 'from' | 'to' | 'cc' | 'bcc' | 'filename'; value: string }
  /** Any other header (RFC 3501 HEADER); case-insensitive substring of the header value. Empty value: header present. */
  | { type: 'header'; name: string; value: string }
  | { type: 'flag'; flag: string; present: boolean }
  | { type: 'uid'; uids: number[] }
  | { type: 'modseq'; min: number }
  | { type: 'size'; op: 'larger' | 'smaller'; value: number }
  /** 'internal' = INTERNALDATE (BEFORE/ON/SINCE), 'sent' = Date header (SENTBEFORE/...). Dates compare by day in UTC. */
  | { type: 'date'; field: 'internal' | 'sent'; op: 'before' | 'on' | 'since'; value: Date }
  | { type: 'mailbox'; mailboxId: Id }
  | { type: 'hasAttachment' };

export interface SearchPage<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Null when there is none. */
  nextCursor: string | null;
}
