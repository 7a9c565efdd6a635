import type { Id } from './ids.js';

/** RFC 6154 special-use attributes; every user has one mailbox of each. */
export type SpecialUse = '\\Inbox' | '\\Sent' | '\\Drafts' | '\\Junk' | '\\Trash' | '\\Archive';

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
  /** Sum of message sizes in bytes. */
  size: number;
}
