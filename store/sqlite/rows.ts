import type { Domain, Mailbox, SpecialUse, User } from '../../domain/index.js';

/** Row shapes as SQLite returns them, and their mapping to domain types. */

export interface DomainRow {
  id: number;
  name: string;
  created_at: number;
}

export interface UserRow {
  id: number;
  username: string;
  address: string;
  password_hash: string;
  display_name: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  verified: number;
  disabled: number;
  admin: number;
  quota: number;
  storage_used: number;
  created_at: number;
}

export interface MailboxRow {
  id: number;
  user_id: number;
  path: string;
  special_use: string | null;
  uid_validity: number;
  uid_next: number;
  highest_modseq: number;
  subscribed: number;
  created_at: number;
  recent_uid: number;
  urlauth_generation: number;
}

export function toDomain(r: DomainRow): Domain {
  return { id: String(r.id), name: r.name, createdAt: new Date(r.created_at) };
}

export function toUser(r: UserRow): User {
  return {
    id: String(r.id),
    username: r.username,
    address: r.address,
    displayName: r.display_name,
    firstName: r.first_name,
    lastName: r.last_name,
    phone: r.phone,
    verified: r.verified === 1,
    disabled: r.disabled === 1,
    admin: r.admin === 1,
    quota: r.quota,
    storageUsed: r.storage_used,
    createdAt: new Date(r.created_at),
  };
}

export function toMailbox(r: MailboxRow): Mailbox {
  return {
    id: String(r.id),
    userId: String(r.user_id),
    path: r.path,
    specialUse: (r.special_use as SpecialUse | null) ?? null,
    uidValidity: r.uid_validity,
    uidNext: r.uid_next,
    highestModseq: r.highest_modseq,
    subscribed: r.subscribed === 1,
    createdAt: new Date(r.created_at),
  };
}
