import type { Id } from './ids.js';

/**
 * One search language for IMAP SEARCH (RFC 3501 6.4.4, RFC 9051 6.4.4 and extensions) and
 * Gmail-style queries (the API and X-GM-RAW); both are parsed into this tree and the store
 * answers it from indexed columns and the full-text index, never by re-parsing every message.
 */
export type SearchQuery =
  | { type: 'all' }
  | { type: 'and'; nodes: SearchQuery[] }
  | { type: 'or'; nodes: SearchQuery[] }
  | { type: 'not'; node: SearchQuery }
  /**
   * Text in a field. 'text' = every header and the body (RFC 3501 TEXT) plus attachment names;
   * 'body' = the decoded text of the body parts; the address fields match display names and
   * addresses. `match`: 'substring' is IMAP's case-insensitive substring (RFC 3501 6.4.4:
   * "sdfghjk" finds "asdfghjkl"); 'words' is Gmail's: every word present, the last one as a
   * prefix, a quoted phrase as adjacent words. Empty value matches everything.
   */
  | {
      type: 'text';
      field: 'text' | 'body' | 'subject' | 'from' | 'to' | 'cc' | 'bcc' | 'filename';
      value: string;
      match: 'substring' | 'words';
    }
  /** Any header field (RFC 3501 HEADER): case-insensitive substring of the unfolded value. Empty value: the field is present. */
  | { type: 'header'; name: string; value: string }
  | { type: 'flag'; flag: string; present: boolean }
  | { type: 'uid'; uids: number[] }
  /** RFC 7162 MODSEQ: messages with modseq >= min. */
  | { type: 'modseq'; min: number }
  | { type: 'size'; op: 'larger' | 'smaller'; value: number }
  /**
   * Day comparisons "disregarding time and timezone" (RFC 3501): 'internal' by INTERNALDATE's
   * day in UTC, 'sent' by the Date header's own calendar day (SortKeys.sentDay), 'saved' by the
   * SAVEDATE day in UTC (RFC 8514). `day` is YYYYMMDD.
   */
  | { type: 'date'; field: 'internal' | 'sent' | 'saved'; op: 'before' | 'on' | 'since'; day: number }
  /** Exact instants (RFC 5032 OLDER/YOUNGER, Gmail older_than:/newer_than:): INTERNALDATE before/at-or-after `at`. */
  | { type: 'time'; op: 'before' | 'since'; at: Date }
  | { type: 'mailbox'; mailboxId: Id }
  | { type: 'hasAttachment' }
  /** RFC 8474 EMAILID / THREADID; X-GM-MSGID / X-GM-THRID use the same ids. */
  | { type: 'emailId'; value: string }
  | { type: 'threadId'; value: string };

export interface SearchPage<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Null when there is none. */
  nextCursor: string | null;
}
