import type { SqliteDb } from '../db.js';
import { migrate, type Migration } from '../migrate.js';

/**
 * Tables of the 'accounts' area. user_id columns carry no foreign key: the users table belongs
 * to the mail area and may be rebuilt by its own migrations; deleteUserData cleans up instead.
 */
const MIGRATIONS: readonly Migration[] = [
  `CREATE TABLE otp_codes (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     purpose TEXT NOT NULL,
     method TEXT NOT NULL,
     code_hash TEXT,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     consumed INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX otp_codes_user ON otp_codes(user_id, purpose, created_at);
   CREATE TABLE api_tokens (
     jti TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     revoked INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX api_tokens_user ON api_tokens(user_id);
   CREATE TABLE user_preferences (user_id TEXT PRIMARY KEY, data TEXT NOT NULL);
   CREATE TABLE user_totp (user_id TEXT PRIMARY KEY, secret TEXT NOT NULL, enabled INTEGER NOT NULL);
   CREATE TABLE app_passwords (
     id INTEGER PRIMARY KEY,
     user_id TEXT NOT NULL,
     name TEXT NOT NULL,
     hash TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_used_at INTEGER
   );
   CREATE UNIQUE INDEX app_passwords_hash ON app_passwords(user_id, hash);
   CREATE TABLE contacts (
     id INTEGER PRIMARY KEY,
     user_id TEXT NOT NULL,
     name TEXT NOT NULL,
     email TEXT NOT NULL,
     phone TEXT,
     notes TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX contacts_user ON contacts(user_id, name);
   CREATE TABLE contact_groups (
     id INTEGER PRIMARY KEY,
     user_id TEXT NOT NULL,
     name TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX contact_groups_user ON contact_groups(user_id);
   CREATE TABLE contact_group_members (
     group_id INTEGER NOT NULL REFERENCES contact_groups(id) ON DELETE CASCADE,
     contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
     PRIMARY KEY (group_id, contact_id)
   );
   CREATE INDEX contact_group_members_contact ON contact_group_members(contact_id);
   CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY,
     user_id TEXT,
     action TEXT NOT NULL,
     ip TEXT,
     details TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX audit_log_user ON audit_log(user_id, id);`,
];

export function migrateAccounts(db: SqliteDb): void {
  migrate(db, 'accounts', MIGRATIONS);
}
