import type { Id } from './ids.js';
import type { Mailbox, MailboxStatus, SpecialUse } from './mailbox.js';
import type { MessageField, MessageRecord, MessageSummary, PreparedMessage } from './message.js';
import type { MessageFlagState, MessageSortCriterion, MessageThreadFields } from './narrow-reads.js';
import type { SearchPage, SearchQuery } from './search.js';
import type { ChangeEvent } from './changes.js';

export interface DeliveryTarget {
  userId: Id;
  /** Deliver into the user's mailbox with this special use, or into a mailbox by id. */
  mailbox: { specialUse: SpecialUse } | { mailboxId: Id };
  flags?: string[];
}

export interface AppendResult {
  userId: Id;
  mailboxId: Id;
  messageId: Id;
  uid: number;
  uidValidity: number;
  modseq: number;
}

export interface FlagUpdate {
  action: 'set' | 'add' | 'remove';
  flags: string[];
  /** RFC 7162 UNCHANGEDSINCE: messages with a higher modseq are not changed and are reported in `modified`. */
  unchangedSince?: number;
}

export interface FlagUpdateResult {
  /** Messages whose flags actually changed, with their new state. */
  updated: Array<{ uid: number; flags: string[]; modseq: number }>;
  /** UIDs refused because of unchangedSince. */
  modified: number[];
}

export interface CopyResult {
  uidValidity: number;
  sourceUids: number[];
  destinationUids: number[];
}

/** A uid set: explicit list, or an inclusive range (`end` may be Infinity for `*`). */
export type UidSelector = number[] | { start: number; end: number };

/**
 * Mailboxes and messages. Every method that changes a mailbox commits durably before it
 * resolves, appends ChangeEvents to the mailbox journal in the same transaction, and publishes
 * them to the Notifier after the commit.
 */
export interface MailStore {
  listMailboxes(userId: Id): Promise<Mailbox[]>;
  getMailbox(userId: Id, path: string): Promise<Mailbox | null>; // 'inbox' in any case is INBOX
  getMailboxById(userId: Id, mailboxId: Id): Promise<Mailbox | null>;
  getSpecialMailbox(userId: Id, specialUse: SpecialUse): Promise<Mailbox | null>;
  /** 'already_exists'; missing parents are created (RFC 3501 6.3.3). */
  createMailbox(userId: Id, path: string, opts?: { specialUse?: SpecialUse; subscribed?: boolean }): Promise<Mailbox>;
  /** Renames children too. Renaming INBOX moves its messages into a new mailbox (RFC 3501 6.3.5). */
  renameMailbox(userId: Id, path: string, newPath: string): Promise<Mailbox>;
  /** 'cannot_delete' for INBOX; releases message blobs. */
  deleteMailbox(userId: Id, path: string): Promise<void>;
  /**
   * Subscriptions are kept by name, apart from mailboxes: a subscription outlives a deleted
   * mailbox (LIST-EXTENDED \NonExistent, RFC 5258) and may name one that does not exist yet.
   */
  setSubscribed(userId: Id, path: string, subscribed: boolean): Promise<void>;
  listSubscriptions(userId: Id): Promise<string[]>;
  getMailboxStatus(mailboxId: Id): Promise<MailboxStatus>;
  /** Every keyword (non-system flag) set on a message in the mailbox, for FLAGS / PERMANENTFLAGS. */
  listKeywords(mailboxId: Id): Promise<string[]>;
  /**
   * RFC 3501 \Recent: a message is recent in the first session told of it. Raises the mailbox's
   * recent watermark to `upToUid` and returns the previous one atomically, so the caller's
   * recent messages are the UIDs in (previous, upToUid]. EXAMINE and STATUS never claim.
   */
  claimRecent(mailboxId: Id, upToUid: number): Promise<number>;
  /**
   * RFC 4467 URLAUTH: the mailbox access key generation; `reset` starts a new one (RESETKEY),
   * which invalidates every URL issued before. Keys are derived from it and a server secret.
   */
  urlAuthGeneration(mailboxId: Id, opts?: { reset?: boolean }): Promise<number>;

  /**
   * MX/local delivery: one message into several users' mailboxes in a single transaction.
   * All targets or none. No quota check here (the SMTP layer checks at RCPT time).
   */
  deliver(message: PreparedMessage, targets: DeliveryTarget[], opts?: { internalDate?: Date }): Promise<AppendResult[]>;
  /** IMAP APPEND / API: 'quota_exceeded' if the user's quota would be passed. */
  append(userId: Id, mailboxId: Id, message: PreparedMessage, opts?: { flags?: string[]; internalDate?: Date }): Promise<AppendResult>;

  /** All UIDs of the mailbox, ascending (IMAP SELECT builds its sequence map from this). */
  listUids(mailboxId: Id): Promise<number[]>;
  /** Messages in uid order; `fields` picks the heavy columns to load. */
  getMessages(
    mailboxId: Id,
    uids: UidSelector,
    opts?: { fields?: MessageField[]; changedSince?: number },
  ): AsyncIterable<MessageRecord>;
  /**
   * Flags and MODSEQ only (FETCH FLAGS of a whole mailbox), in uid order, a page of rows at a
   * time; with `changedSince`, only messages whose modseq is above it. With `modseq: false` a
   * store may leave MODSEQ out (a FETCH that does not ask for it).
   */
  listFlags(mailboxId: Id, uids: UidSelector, opts?: { changedSince?: number; modseq?: boolean }): AsyncIterable<MessageFlagState[]>;
  /**
   * The UIDs of the messages that exist, ordered by the criteria in turn, then by UID ascending
   * (RFC 5256 3: ties keep sequence order).
   */
  sortUids(mailboxId: Id, uids: UidSelector, criteria: readonly MessageSortCriterion[]): Promise<number[]>;
  /** The THREAD fields of the messages that exist, in uid order. */
  listThreadFields(mailboxId: Id, uids: UidSelector): Promise<MessageThreadFields[]>;
  getMessageById(userId: Id, messageId: Id, fields?: MessageField[]): Promise<MessageRecord | null>;
  /**
   * Finds a message in a mailbox by its Message-ID header (for de-duplicating Sent copies);
   * with `savedSince`, only a copy saved at or after that time counts.
   */
  findByMessageIdHeader(mailboxId: Id, messageIdHeader: string, opts?: { savedSince?: Date }): Promise<number | null>;

  updateFlags(mailboxId: Id, uids: UidSelector, update: FlagUpdate): Promise<FlagUpdateResult>;
  /** Removes messages flagged \Deleted (optionally only within `uids`, RFC 4315 UID EXPUNGE). Returns expunged uids. */
  expunge(mailboxId: Id, opts?: { uids?: UidSelector }): Promise<number[]>;
  copyMessages(mailboxId: Id, uids: UidSelector, targetMailboxId: Id): Promise<CopyResult>;
  /** RFC 6851 MOVE: copy + expunge in one transaction. */
  moveMessages(mailboxId: Id, uids: UidSelector, targetMailboxId: Id): Promise<CopyResult>;

  /** UIDs in one mailbox matching the query, ascending. */
  searchUids(mailboxId: Id, query: SearchQuery): Promise<number[]>;
  /** Across a user's mailboxes, newest first, paged. */
  searchMessages(userId: Id, query: SearchQuery, opts?: { limit?: number; cursor?: string | null }): Promise<SearchPage<MessageSummary>>;
  listMessages(mailboxId: Id, opts?: { limit?: number; cursor?: string | null }): Promise<SearchPage<MessageSummary>>;

  /**
   * Journal entries with modseq > sinceModseq, ascending (IMAP catch-up, CONDSTORE, QRESYNC
   * VANISHED). Expunge entries are kept for the life of the mailbox; for flags only the latest
   * entry per message is kept.
   */
  getChanges(mailboxId: Id, sinceModseq: number): Promise<ChangeEvent[]>;

  getQuota(userId: Id): Promise<{ used: number; limit: number }>;
}
