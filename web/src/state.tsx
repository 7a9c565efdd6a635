import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Mailbox, Preferences, SessionInfo } from './api/types.js';

/** What a reply, reply-all, forward or a reopened draft starts the composer with. */
export interface ComposeInit {
  draftId?: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject?: string;
  text?: string;
  /** Message id (ours) this answers: the server sets In-Reply-To and References. */
  inReplyTo?: string;
  /** Message id (ours) whose attachments a forward carries. */
  forwardOf?: string;
}

export interface AppState {
  session: SessionInfo;
  prefs: Preferences | null;
  setPrefs(p: Preferences): void;
  mailboxes: Mailbox[];
  refreshMailboxes(): Promise<void>;
  /** Subscribes to store changes (server-sent events); the listener gets the changed mailbox id. */
  onMailChange(listener: (mailboxId: string) => void): () => void;
  openCompose(init?: ComposeInit): void;
  logout(): Promise<void>;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const s = useContext(AppContext);
  if (!s) throw new Error('useApp outside the signed-in app');
  return s;
}

export const mailboxBySpecial = (boxes: Mailbox[], special: string) => boxes.find((b) => b.specialUse === special);

/** The inbox's address is /mail/inbox (the API takes the name too), so the first page needs no id lookup first. */
export const INBOX = 'inbox';
export const mailboxPath = (b: Mailbox) => `/mail/${b.specialUse === '\\Inbox' ? INBOX : encodeURIComponent(b.id)}`;
/** A mailbox by id, or the inbox by its name. */
export const resolveMailbox = (boxes: Mailbox[], idOrName: string) => (idOrName === INBOX ? mailboxBySpecial(boxes, '\\Inbox') : boxes.find((b) => b.id === idOrName));

const SPECIAL_NAMES: Record<string, string> = {
  '\\Inbox': 'Inbox',
  '\\Sent': 'Sent',
  '\\Drafts': 'Drafts',
  '\\Junk': 'Spam',
  '\\Trash': 'Trash',
  '\\Archive': 'Archive',
};

export const mailboxName = (b: Mailbox) => (b.specialUse && SPECIAL_NAMES[b.specialUse]) || b.path;
