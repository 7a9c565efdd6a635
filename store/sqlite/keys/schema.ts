import type { SqliteDb } from '../db.js';
import { migrate, type Migration } from '../migrate.js';

/** The 'keys' area: DKIM keys and named secrets, shared by every process on this data directory. */
const MIGRATIONS: readonly Migration[] = [
  `CREATE TABLE dkim_keys (
     domain TEXT PRIMARY KEY,
     selector TEXT NOT NULL,
     private_key_pem TEXT NOT NULL,
     public_key_base64 TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE secrets (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   );`,
];

export function migrateKeys(db: SqliteDb): void {
  migrate(db, 'keys', MIGRATIONS);
}
