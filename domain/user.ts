import type { Id } from './ids.js';

export interface Domain {
  id: Id;
  name: string; // lower-case, IDNA ASCII form
  createdAt: Date;
}

export interface User {
  id: Id;
  /** Local part owner name; the login name next to the full address. Lower-case. */
  username: string;
  /** Primary address, lower-case `local@domain`. */
  address: string;
  displayName: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  verified: boolean;
  disabled: boolean;
  admin: boolean;
  /** Storage quota in bytes; 0 means unlimited. */
  quota: number;
  /** Bytes used by the user's messages. */
  storageUsed: number;
  createdAt: Date;
}

export interface NewUser {
  username: string;
  /** Primary address; its domain must be a local domain. */
  address: string;
  /** Plain password; the store hashes it (scrypt or argon2id) and never keeps the plain text. */
  password: string;
  displayName?: string;
  firstName?: string;
  lastName?: string;
  phone?: string | null;
  verified?: boolean;
  admin?: boolean;
  quota?: number;
}

export type UserPatch = Partial<
  Pick<User, 'displayName' | 'firstName' | 'lastName' | 'phone' | 'verified' | 'disabled' | 'admin' | 'quota'>
> & { password?: string };

/**
 * Users, domains and addresses. createUser also creates the special-use mailboxes
 * (INBOX, Sent, Drafts, Junk, Trash, Archive) in the same transaction.
 */
export interface UserStore {
  addDomain(name: string): Promise<Domain>; // idempotent: returns the existing one
  listDomains(): Promise<Domain[]>;
  isLocalDomain(name: string): Promise<boolean>;
  deleteDomain(name: string): Promise<void>;

  createUser(input: NewUser): Promise<User>; // 'already_exists' if username or address is taken
  getUser(id: Id): Promise<User | null>;
  /** By username or by any address of the user (aliases too), case-insensitive. */
  findUserByLogin(login: string): Promise<User | null>;
  listUsers(opts?: { limit?: number; offset?: number }): Promise<User[]>;
  updateUser(id: Id, patch: UserPatch): Promise<User>;
  deleteUser(id: Id): Promise<void>; // removes mailboxes and messages, releases blobs
  /** Checks the account password. Returns the user only if it matches and the user is not disabled. */
  verifyPassword(login: string, password: string): Promise<User | null>;

  /** Adds an alias address delivering to the user. */
  addAddress(userId: Id, address: string): Promise<void>;
  listAddresses(userId: Id): Promise<string[]>;
  /** Resolves a recipient address (exact, case-insensitive local part) to its user, or null. */
  resolveAddress(address: string): Promise<{ userId: Id; address: string } | null>;
}
