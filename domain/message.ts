import type { Id } from './ids.js';

/**
 * The stored message, format 2. A message is kept as the exact bytes it is served as (BODY[],
 * CRLF line ends) plus a MIME part tree whose byte offsets point into those bytes, so every IMAP
 * section is a byte range (or a filter of a header range) and nothing is re-parsed on FETCH.
 * Parsing happens once, in mail/mime/, before the store sees the message.
 */

/**
 * The message bytes as an ordered list of segments: inline bytes, or a reference to a
 * content-addressed blob (large leaf bodies, so identical attachments are stored once). The
 * concatenation is the whole message; its length is `PreparedMessage.size`. How inline bytes are
 * kept on disk (compressed or not) is the backend's business: readers always get plain bytes.
 */
export type ContentSegment = { data: Buffer } | { blobId: string; size: number };

/** A MIME parameter list in header order: names lower-cased, values unquoted and unfolded (RFC 2045, 2231 left as written). */
export type MimeParams = Array<[name: string, value: string]>;

/**
 * One MIME entity (RFC 2045/2046). Offsets are absolute positions in the whole message:
 * the header block is [headerStart, bodyStart) and includes the blank line that ends it when
 * there is one; the body is [bodyStart, bodyEnd). For the root, headerStart is 0 and bodyEnd is
 * the message size.
 */
export interface MimePart {
  headerStart: number;
  bodyStart: number;
  bodyEnd: number;
  /** Content-Type as written (case kept), with RFC 2045 5.2 defaults: text/plain, or message/rfc822 inside multipart/digest. */
  type: string;
  subtype: string;
  params: MimeParams;
  /** Content-ID, Content-Description, Content-Transfer-Encoding (null when absent: 7BIT), Content-MD5, Content-Location: raw header values. */
  id: string | null;
  description: string | null;
  encoding: string | null;
  md5: string | null;
  location: string | null;
  disposition: { type: string; params: MimeParams } | null;
  /** Content-Language tags, null when absent. */
  language: string[] | null;
  /** Number of lines in the body (counted for every part; IMAP reports it for text/* and message/rfc822). */
  bodyLines: number;
  /** multipart/*: the children in order (may be empty for a broken multipart). */
  children?: MimePart[];
  /** message/rfc822 (and message/global): the encapsulated message; its root header starts at this part's bodyStart. */
  message?: { part: MimePart; envelope: MessageEnvelope };
}

/**
 * An address of an ENVELOPE address list (RFC 3501 7.4.2 / RFC 9051 7.5.2 model, which is also
 * the natural model of RFC 5322 groups): a group start is `{mailbox: groupName, host: null}`, a
 * group end `{mailbox: null, host: null}`. Strings are raw header text (encoded words kept).
 */
export interface EnvelopeAddress {
  name: string | null;
  adl: string | null;
  mailbox: string | null;
  host: string | null;
}

/** The header fields of RFC 3501 ENVELOPE, raw (undecoded) as written; null when the header is absent. */
export interface MessageEnvelope {
  date: string | null;
  subject: string | null;
  from: EnvelopeAddress[] | null;
  sender: EnvelopeAddress[] | null;
  replyTo: EnvelopeAddress[] | null;
  to: EnvelopeAddress[] | null;
  cc: EnvelopeAddress[] | null;
  bcc: EnvelopeAddress[] | null;
  inReplyTo: string | null;
  messageId: string | null;
}

export interface AttachmentInfo {
  /** IMAP part number of the attachment ("2", "1.3"); its body is that part's body range. */
  part: string;
  filename: string;
  contentType: string;
  /** Decoded size estimate in bytes (encoded size for unknown encodings). */
  size: number;
  contentId?: string;
  disposition?: string;
}

export interface MessageHeaderSummary {
  messageId: string | null;
  subject: string;
  /** Display strings, e.g. `Ann <ann@example.com>, bob@example.com`. */
  from: string;
  to: string;
  cc: string;
  bcc: string;
  replyTo: string;
  /** Date header, if parseable. */
  date: Date | null;
  inReplyTo: string | null;
  references: string[];
}

/**
 * Values precomputed at parse time so SORT (RFC 5256, 5957) and THREAD over a whole mailbox read
 * narrow columns instead of headers. Strings are decoded and upper-cased, the folding of the
 * i;ascii-casemap comparator (RFC 4790 9.2), so a plain string comparison orders them as SORT does.
 */
export interface SortKeys {
  /** RFC 5256 base subject. */
  baseSubject: string;
  /** Whether the subject was a reply or forward (RFC 5256 ORDEREDSUBJECT / REFERENCES rules). */
  subjectIsReply: boolean;
  /** RFC 5256 SORT FROM/TO/CC: the addr-mailbox of the first address (a group's name for a group). */
  from: string;
  to: string;
  cc: string;
  /** RFC 5957 DISPLAYFROM/DISPLAYTO: display name of the first address, else its address. */
  displayFrom: string;
  displayTo: string;
  /** Date header as milliseconds since the epoch, null when absent or unparseable. */
  sentAt: number | null;
  /** The Date header's own calendar day (its own time zone) as YYYYMMDD, for SENTBEFORE/SENTON/SENTSINCE. */
  sentDay: number | null;
}

/**
 * A message made ready for the store by mail/mime: parsed once, blobs already written (and
 * durable) to the BlobStore. The store only persists it and indexes `search`.
 */
export interface PreparedMessage {
  /** RFC822.SIZE: exact byte length of `content`. */
  size: number;
  content: ContentSegment[];
  structure: MimePart;
  envelope: MessageEnvelope;
  header: MessageHeaderSummary;
  sortKeys: SortKeys;
  /** Text to index, decoded to Unicode and capped: every header field unfolded ("Name: value" lines), the text of the body parts, attachment names. */
  search: { headers: string; body: string; filenames: string };
  /** The first words of the body, for list views. */
  snippet: string;
  attachments: AttachmentInfo[];
  /** Every blob id `content` references; the store counts references to these. */
  blobIds: string[];
}

/** Which columns a read needs; keeps FETCH FLAGS of 50k messages from loading bodies. */
export type MessageField = 'flags' | 'envelope' | 'structure' | 'content' | 'header' | 'attachments' | 'sortKeys' | 'snippet';

export interface MessageRecord {
  id: Id;
  mailboxId: Id;
  userId: Id;
  uid: number;
  modseq: number;
  flags: string[];
  internalDate: Date;
  /** RFC 8514 SAVEDATE: when this copy was saved into this mailbox. */
  savedAt: Date;
  size: number;
  /** RFC 8474 EMAILID (and Gmail's X-GM-MSGID, as a decimal string of a 63-bit integer): the same for every copy of the same delivered message. */
  emailId: string;
  /** RFC 8474 THREADID (and X-GM-THRID, decimal 63-bit): the conversation. */
  threadId: string;
  /** Present when requested through MessageField. */
  envelope?: MessageEnvelope;
  structure?: MimePart;
  content?: ContentSegment[];
  header?: MessageHeaderSummary;
  attachments?: AttachmentInfo[];
  sortKeys?: SortKeys;
  /** PreparedMessage.snippet (IMAP PREVIEW, RFC 8970). */
  snippet?: string;
}

/** A compact row for API lists and search results. */
export interface MessageSummary {
  id: Id;
  mailboxId: Id;
  uid: number;
  flags: string[];
  internalDate: Date;
  size: number;
  subject: string;
  from: string;
  to: string;
  date: Date | null;
  hasAttachments: boolean;
  snippet: string;
  threadId: string;
}
