import type { Binary } from 'mongodb';
import type { User } from '../../domain/index.js';

/**
 * Document shapes of every collection. Ids are strings (ObjectId hex made by newId(), or a
 * natural key such as a domain name or a blob hash), so a hostile id is just a string that
 * matches nothing. Times are Dates. Everything a user owns carries `userId`: the shard key.
 */

export interface DomainDoc {
  _id: string; // the domain name, lower-case
  createdAt: Date;
}

/** The domain User as stored, plus what only the store sees. */
export interface UserDoc extends Omit<User, 'id'> {
  _id: string;
  passwordHash: string;
  /** RFC 3501 2.3.1.1: UIDVALIDITY only goes up per user (see mail/mailbox-docs.ts). */
  lastUidValidity: number;
}

export interface AddressDoc {
  _id: string; // the address, lower-case
  userId: string;
  domain: string;
  createdAt: Date;
}

export interface OtpDoc {
  _id: string;
  userId: string;
  purpose: string;
  method: string;
  codeHash: string | null;
  createdAt: Date;
  expiresAt: Date;
  /** TTL index: gone a day after expiry (cooldowns need nothing older). */
  purgeAt: Date;
  attempts: number;
  consumed: boolean;
}

export interface TokenDoc {
  _id: string; // jti
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  purgeAt: Date;
  revoked: boolean;
}

export interface PreferencesDoc {
  _id: string; // userId
  userId: string;
  data: string; // JSON, merged over the defaults on read (new fields need no migration)
}

export interface TotpDoc {
  _id: string; // userId
  userId: string;
  secret: string;
  enabled: boolean;
}

export interface AppPasswordDoc {
  _id: string;
  userId: string;
  name: string;
  hash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface ContactDoc {
  _id: string;
  userId: string;
  name: string;
  /** Sort key: name without case (SQLite's COLLATE NOCASE). */
  nameLower: string;
  email: string;
  phone: string | null;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface GroupDoc {
  _id: string;
  userId: string;
  name: string;
  nameLower: string;
  createdAt: Date;
}

/** One document per membership (no array edits: jongodb has no $pull, and a contact's deletion is one deleteMany). */
export interface GroupMemberDoc {
  _id: string; // `${groupId}:${contactId}`
  userId: string;
  groupId: string;
  contactId: string;
}

export interface AuditDoc {
  _id: string;
  userId: string | null;
  action: string;
  ip: string | null;
  details: string; // JSON
  createdAt: Date;
}

export interface QueueMessageDoc {
  _id: string;
  sender: string;
  userId: string | null;
  kind: string;
  size: number;
  /** The bytes when they fit one document; otherwise in queueChunks. */
  raw: Binary | null;
  chunks: number;
  createdAt: Date;
}

export interface QueueChunkDoc {
  _id: string; // `${messageId}:${n}`
  messageId: string;
  n: number;
  data: Binary;
}

export interface QueueEntryDoc {
  _id: string;
  messageId: string;
  domain: string;
  recipients: string[];
  nextAttemptAt: Date;
  attempts: number;
  lastError: string | null;
  lease: string | null;
  leaseUntil: Date | null;
  /** Insertion order for stable listing (ids are random). */
  seq: number;
}

export interface VacationReplyDoc {
  _id: string; // `${userId}\0${sender}`
  userId: string;
  sender: string;
  repliedAt: Date;
}

export interface DkimKeyDoc {
  _id: string; // domain
  selector: string;
  privateKeyPem: string;
  publicKeyBase64: string;
  createdAt: Date;
}

export interface SecretDoc {
  _id: string; // name
  value: string;
  updatedAt: Date;
}

/** A content-addressed blob: its bytes are the GridFS file `fileId`; `refcount` is kept by the mail store in its transactions. */
export interface BlobDoc {
  _id: string; // SHA-256 hex
  fileId: string;
  size: number;
  refcount: number;
  /** Last put(): a blob touched recently may be about to be referenced (see BlobSweep). */
  touchedAt: Date;
}

/** Monotonic counters (queue entry order). */
export interface CounterDoc {
  _id: string;
  value: number;
}

export interface MailboxDoc {
  _id: string;
  userId: string;
  path: string;
  specialUse: string | null;
  uidValidity: number;
  /** Next UID and the highest MODSEQ: taken with findOneAndUpdate + $inc inside the writing transaction. */
  uidNext: number;
  highestModseq: number;
  subscribed: boolean;
  /** RFC 3501 \Recent watermark (MailStore.claimRecent). */
  recentUid: number;
  /** RFC 4467 URLAUTH key generation. */
  urlAuthGeneration: number;
  createdAt: Date;
}

/** Per-mailbox change log (RFC 7162 catch-up by MODSEQ). */
export interface JournalDoc {
  _id: string;
  mailboxId: string;
  userId: string;
  modseq: number;
  type: 'exists' | 'expunge' | 'flags' | 'mailbox';
  uid: number | null;
  messageId: string | null;
  flags: string[] | null;
  action: string | null;
  path: string | null;
}

/** A subscription is a name (RFC 3501 6.3.6): it may outlive its mailbox or precede it. */
export interface SubscriptionDoc {
  _id: string; // `${userId}\0${path}`
  userId: string;
  path: string;
}

/** One copy of a message in one mailbox: the narrow fields FETCH FLAGS, STATUS and SORT read. */
export interface MessageDoc {
  _id: string;
  userId: string;
  mailboxId: string;
  uid: number;
  modseq: number;
  /** System flags in their RFC 3501 spelling, then keywords as first written. */
  flags: string[];
  /** The same, lower-cased: keywords compare case-insensitively. */
  flagsLower: string[];
  internalDate: Date;
  savedAt: Date;
  size: number;
  /** The user's content document (`${userId}:${emailId}`), shared by every copy of the message. */
  contentId: string;
  /** RFC 8474 EMAILID / THREADID (decimal, 63-bit). */
  emailId: string;
  threadId: string;
  messageIdHeader: string | null;
  refs: string[];
  hasAttachments: boolean;
  sortKeys: import('../../domain/index.js').SortKeys;
}

/** A stored segment: inline bytes or a blob reference (ContentSegment, in BSON). */
export type StoredSegment = { d: Binary } | { b: string; s: number };

/**
 * A delivered message's content, per user (so it lives on the user's shard): the exact bytes as
 * segments, the JSON parts the protocols read, and the search text. `copies` counts the message
 * documents that refer to it; at 0 it goes, and with it its blob references.
 */
export interface ContentDoc {
  _id: string;
  userId: string;
  emailId: string;
  copies: number;
  size: number;
  segments: StoredSegment[];
  structure: unknown;
  envelope: unknown;
  header: unknown;
  attachments: unknown[];
  snippet: string;
  blobIds: string[];
  /** Search text per field, folded (search/fold): what substring search matches against. */
  text: Record<string, string>;
  /** Distinct folded tokens as `field:token`, and `*:token` for any field: the words index. */
  terms: string[];
  /** Header fields (lower-case name, folded value) for HEADER search. */
  headerFields: Array<{ n: string; v: string }>;
}
