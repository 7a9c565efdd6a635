import type { Id } from './ids.js';

/**
 * imap-core's parsed MIME tree (see wildduck/imap-core/lib/indexer). Opaque to everyone but
 * mail/message-codec and imap/. Node bodies may be Buffers; large parts are replaced by
 * `attachmentId` references into the blob store. Backends must round-trip it exactly,
 * Buffers included.
 */
export type MimeTree = Record<string, unknown>;

export interface AttachmentInfo {
  /** Blob id (content hash) of the part body as it appears on the wire (still transfer-encoded). */
  blobId: string;
  filename: string;
  contentType: string;
  /** Encoded size in bytes. */
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
 * A message made ready for the store by mail/message-codec: parsed once, blobs already written
 * (and durable) to the BlobStore. The store only persists it.
 */
export interface PreparedMessage {
  mimeTree: MimeTree;
  /** RFC822.SIZE: exact byte length of the message as it will be served. */
  size: number;
  /** imap-core ENVELOPE and BODYSTRUCTURE arrays, precomputed. */
  envelope: unknown;
  bodystructure: unknown;
  header: MessageHeaderSummary;
  /** Raw header block (for IMAP HEADER search), capped in size. */
  headerText: string;
  /** Plain text of the body for full-text search, capped in size. */
  text: string;
  /** The message's text/html parts, for the API's message view; empty for text-only mail. */
  html: string[];
  attachments: AttachmentInfo[];
  /** Every blob id the mimeTree references; the store counts references to these. */
  blobIds: string[];
}

/** Which columns a read needs; keeps FETCH FLAGS of 50k messages from loading MIME trees. */
export type MessageField = 'flags' | 'envelope' | 'bodystructure' | 'mimeTree' | 'header' | 'attachments' | 'text' | 'html';

export interface MessageRecord {
  id: Id;
  mailboxId: Id;
  userId: Id;
  uid: number;
  modseq: number;
  flags: string[];
  internalDate: Date;
  size: number;
  threadId: string | null;
  /** Present when requested through MessageField. */
  envelope?: unknown;
  bodystructure?: unknown;
  mimeTree?: MimeTree;
  header?: MessageHeaderSummary;
  attachments?: AttachmentInfo[];
  text?: string;
  html?: string[];
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
}
