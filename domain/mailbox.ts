import type { Id } from './ids.js';

/** RFC 6154 special-use attributes; every user has one mailbox of each. */
export type SpecialUse = '\\Inbox' | '\\Sent' | '\\Drafts' | '\\Junk' | '\\Trash' | '\\Archive';

const SPECIAL_USES: ReadonlySet<string> = new Set<SpecialUse>(['\\Inbox', '\\Sent', '\\Drafts', '\\Junk', '\\Trash', '\\Archive']);

/** Whether a value from outside (a store call, a request) names a special use. */
export function isSpecialUse(value: unknown): value is SpecialUse {
  return typeof value === 'string' && SPECIAL_USES.has(value);
}

export const DEFAULT_MAILBOXES: ReadonlyArray<{ path: string; specialUse: SpecialUse }> = [
  { path: 'INBOX', specialUse: '\\Inbox' },
  { path: 'Sent', specialUse: '\\Sent' },
  { path: 'Drafts', specialUse: '\\Drafts' },
  { path: 'Junk', specialUse: '\\Junk' },
  { path: 'Trash', specialUse: '\\Trash' },
  { path: 'Archive', specialUse: '\\Archive' },
];

/** Hierarchy delimiter used in mailbox paths (IMAP LIST reply). */
export const MAILBOX_DELIMITER = '/';

export interface Mailbox {
  id: Id;
  userId: Id;
  /** Full path with '/' delimiters; 'INBOX' is always upper-case. */
  path: string;
  specialUse: SpecialUse | null;
  /** RFC 3501 UIDVALIDITY: fixed for the life of the mailbox, new on re-create. */
  uidValidity: number;
  uidNext: number;
  /** RFC 7162 HIGHESTMODSEQ. */
  highestModseq: number;
  subscribed: boolean;
  createdAt: Date;
}

export interface MailboxStatus {
  messages: number;
  unseen: number;
  uidNext: number;
  uidValidity: number;
  highestModseq: number;
  /** Sum of message sizes in bytes (RFC 8438 STATUS=SIZE). */
  size: number;
  /** UIDs above the recent watermark (RFC 3501 \Recent; see MailStore.claimRecent). */
  recent: number;
  /** Messages flagged \Deleted (RFC 9051 STATUS DELETED). */
  deleted: number;
}
