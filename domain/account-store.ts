import type { Id } from './ids.js';
import type { Preferences, PreferencesReader } from './preferences.js';

/**
 * Account data around a User that is not mail: one-time codes, login challenges, issued tokens,
 * preferences, second factors, app passwords, contacts, groups and the audit log. Backends
 * implement it next to UserStore and MailStore; secrets are stored only as hashes.
 */

export type OtpPurpose = 'register' | 'login';
export type SecondFactor = 'sms' | 'totp';

export interface OtpCode {
  id: Id;
  userId: Id;
  purpose: OtpPurpose;
  /** The factor the code was issued for; a TOTP challenge carries no code hash. */
  method: SecondFactor;
  createdAt: Date;
  expiresAt: Date;
  attempts: number;
  consumed: boolean;
}

export type OtpCheck =
  | { result: 'ok'; code: OtpCode }
  | { result: 'invalid'; attemptsLeft: number }
  | { result: 'expired' }
  /** Too many wrong tries: the code is void. */
  | { result: 'locked' }
  | { result: 'not_found' };

export interface IssuedToken {
  jti: string;
  userId: Id;
  createdAt: Date;
  expiresAt: Date;
  revoked: boolean;
}

export interface AppPassword {
  id: Id;
  userId: Id;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface TotpState {
  secret: string;
  enabled: boolean;
}

export interface Contact {
  id: Id;
  userId: Id;
  name: string;
  /** Lower-case address. */
  email: string;
  phone: string | null;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type ContactInput = Pick<Contact, 'name' | 'email'> & { phone?: string | null; notes?: string | null };

export interface ContactGroup {
  id: Id;
  userId: Id;
  name: string;
  contactIds: Id[];
  createdAt: Date;
}

export interface AuditEntry {
  id: Id;
  userId: Id | null;
  action: string;
  ip: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

export interface AccountStore extends PreferencesReader {
  /** Stores a new code (hashed) and voids earlier unconsumed codes of the same user and purpose. */
  createOtp(input: { userId: Id; purpose: OtpPurpose; method: SecondFactor; code: string | null; ttlMs: number; now?: Date }): Promise<OtpCode>;
  /** The latest unconsumed code of a user for a purpose (for resend cooldowns). */
  latestOtp(userId: Id, purpose: OtpPurpose): Promise<OtpCode | null>;
  getOtp(id: Id): Promise<OtpCode | null>;
  /**
   * Checks a code; a wrong one counts an attempt and after `maxAttempts` the code is void.
   * By id (login challenge) or by the latest code of user+purpose (registration). A good code is consumed.
   * `verify` lets TOTP challenges check with the user's secret instead of a stored hash.
   */
  checkOtp(
    ref: { id: Id } | { userId: Id; purpose: OtpPurpose },
    code: string,
    opts: { maxAttempts: number; now?: Date; verify?: (code: string) => Promise<boolean> },
  ): Promise<OtpCheck>;

  recordToken(token: { jti: string; userId: Id; createdAt: Date; expiresAt: Date }): Promise<void>;
  getToken(jti: string): Promise<IssuedToken | null>;
  revokeToken(jti: string): Promise<void>;
  revokeUserTokens(userId: Id): Promise<number>;
  /** A user's live tokens (not revoked, not expired), newest first: the sessions page. */
  listTokens(userId: Id, now?: Date): Promise<IssuedToken[]>;

  setPreferences(userId: Id, prefs: Preferences): Promise<Preferences>;

  getTotp(userId: Id): Promise<TotpState | null>;
  setTotp(userId: Id, state: TotpState | null): Promise<void>;

  /** Returns the record and the one-time plain password (generated here, stored hashed). */
  createAppPassword(userId: Id, name: string): Promise<{ record: AppPassword; password: string }>;
  listAppPasswords(userId: Id): Promise<AppPassword[]>;
  /** 'not_found' StoreError for another user's id. */
  deleteAppPassword(userId: Id, id: Id): Promise<void>;
  /** IMAP/SMTP login: true if the password is one of the user's app passwords (spaces ignored). */
  verifyAppPassword(userId: Id, password: string): Promise<boolean>;

  listContacts(userId: Id, opts?: { limit?: number; offset?: number }): Promise<Contact[]>;
  getContact(userId: Id, id: Id): Promise<Contact | null>;
  createContact(userId: Id, input: ContactInput): Promise<Contact>;
  updateContact(userId: Id, id: Id, input: ContactInput): Promise<Contact>;
  deleteContact(userId: Id, id: Id): Promise<void>;

  listGroups(userId: Id): Promise<ContactGroup[]>;
  getGroup(userId: Id, id: Id): Promise<ContactGroup | null>;
  /** Contact ids must belong to the user ('not_found' otherwise). */
  createGroup(userId: Id, input: { name: string; contactIds?: Id[] }): Promise<ContactGroup>;
  updateGroup(userId: Id, id: Id, input: { name: string; contactIds?: Id[] }): Promise<ContactGroup>;
  deleteGroup(userId: Id, id: Id): Promise<void>;
  addGroupMembers(userId: Id, id: Id, contactIds: Id[]): Promise<ContactGroup>;
  removeGroupMember(userId: Id, id: Id, contactId: Id): Promise<ContactGroup>;

  audit(entry: { userId: Id | null; action: string; ip?: string | null; details?: Record<string, unknown> }): Promise<void>;
  listAudit(opts?: { userId?: Id; limit?: number }): Promise<AuditEntry[]>;

  /** Drops everything held for a deleted user. */
  deleteUserData(userId: Id): Promise<void>;
}
