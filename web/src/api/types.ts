/** The JSON the REST API answers (see /v1/openapi.json); only what the page reads. */

export interface Profile {
  userId: string;
  username: string;
  address: string;
  firstName: string;
  lastName: string;
  displayName: string;
  phone: string | null;
  verified: boolean;
  admin: boolean;
  createdAt: string;
}

export interface SessionInfo {
  csrfToken: string;
  expiresAt: string;
  profile: Profile;
}

// GET /v1/me/preferences answers the domain's Preferences as they are (all JSON types already).
export type { Preferences } from '../../../domain/preferences.js';

export interface Mailbox {
  id: string;
  path: string;
  specialUse: string | null;
  total: number;
  unseen: number;
}

export interface MessageSummary {
  id: string;
  mailboxId: string;
  uid: number;
  flags: string[];
  unread: boolean;
  starred: boolean;
  internalDate: string;
  size: number;
  subject: string;
  from: string;
  to: string;
  date: string | null;
  hasAttachments: boolean;
  snippet: string;
  threadId?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Conversation {
  threadId: string;
  count: number;
  unreadCount: number;
  starred: boolean;
  hasAttachments: boolean;
  participants: string[];
  latest: MessageSummary;
  messageIds: string[];
}

export interface AttachmentInfo {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  contentId?: string;
}

export interface MessageDetail extends MessageSummary {
  headers: {
    messageId: string | null;
    subject: string;
    from: string;
    to: string;
    cc: string;
    bcc: string;
    replyTo: string;
    date: string | null;
    inReplyTo: string | null;
    references: string[];
  };
  text: string;
  html: string;
  attachments: AttachmentInfo[];
  /** Remote images the sanitiser held back (the page offers "Show images" when > 0). */
  remoteImages?: number;
}

export interface Draft {
  id: string;
  mailboxId: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string;
  inReplyTo: string | null;
  attachments: Array<{ index: number; filename: string; contentType: string; size: number }>;
  savedAt: string;
}

export interface Contact {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  notes: string | null;
}

export interface Group {
  id: string;
  name: string;
  contactIds: string[];
  members: Contact[];
}

export interface AppPassword {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface SessionItem {
  id: string;
  createdAt: string;
  expiresAt: string;
  current: boolean;
}
