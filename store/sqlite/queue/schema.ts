import type { SqliteDb } from '../db.js';
import { migrate, type Migration } from '../migrate.js';

/**
 * The outbound queue's tables. Message bytes live in the row itself: the enqueue transaction then
 * commits bytes and entries together (WAL + synchronous=FULL, see db.ts), so there is no spool
 * file that could be lost or orphaned between a crash and the commit.
 */
const MIGRATIONS: readonly Migration[] = [
  `CREATE TABLE queue_messages (
     id INTEGER PRIMARY KEY,
     sender TEXT NOT NULL,
     user_id TEXT,
     kind TEXT NOT NULL,
     size INTEGER NOT NULL,
     raw BLOB NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE queue_entries (
     id INTEGER PRIMARY KEY,
     message_id INTEGER NOT NULL REFERENCES queue_messages(id),
     domain TEXT NOT NULL,
     recipients TEXT NOT NULL,
     next_attempt_at INTEGER NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     last_error TEXT,
     lease TEXT,
     lease_until INTEGER
   );
   CREATE INDEX queue_entries_due ON queue_entries (next_attempt_at);
   CREATE INDEX queue_entries_message ON queue_entries (message_id);
   CREATE TABLE vacation_replies (
     user_id TEXT NOT NULL,
     sender TEXT NOT NULL,
     replied_at INTEGER NOT NULL,
     PRIMARY KEY (user_id, sender)
   );`,
];

export function migrateQueue(db: SqliteDb): void {
  migrate(db, 'queue', MIGRATIONS);
}
