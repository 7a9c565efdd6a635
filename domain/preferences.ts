import type { Id } from './ids.js';

export interface VacationSettings {
  enabled: boolean;
  subject: string;
  body: string;
  /** ISO dates; outside the window no replies are sent. */
  start: string | null;
  end: string | null;
}

export interface Preferences {
  /** BCP 47 tag. */
  language: string;
  /** IANA zone name. */
  timezone: string;
  signature: string;
  vacation: VacationSettings;
  /** Where mail judged as spam goes: the Junk mailbox, or INBOX with a tag. */
  spamHandling: 'junk' | 'tag';
  /** Sender addresses or `@domain` entries, lower-case. */
  allowSenders: string[];
  blockSenders: string[];
  /** Gmail-like: once two-factor is on, IMAP/SMTP accept only app passwords. */
  requireAppPasswords: boolean;
}

export const DEFAULT_PREFERENCES: Preferences = {
  language: 'en',
  timezone: 'UTC',
  signature: '',
  vacation: { enabled: false, subject: '', body: '', start: null, end: null },
  spamHandling: 'junk',
  allowSenders: [],
  blockSenders: [],
  requireAppPasswords: false,
};

/** The read side the MX path needs (allow/block lists, spam handling, vacation). */
export interface PreferencesReader {
  getPreferences(userId: Id): Promise<Preferences>;
}
