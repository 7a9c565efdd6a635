import type { SqliteDb } from './db.js';
import { migrate } from './migrate.js';
import { cachedStatement } from './context.js';

/** Tables of other areas that name user ids: a deleted user's id may still be written there. */
const USER_ID_COLUMNS: Array<[table: string, column: string]> = [
  ['api_tokens', 'user_id'],
  ['app_passwords', 'user_id'],
  ['contacts', 'user_id'],
  ['contact_groups', 'user_id'],
  ['audit_log', 'user_id'],
  ['otp_codes', 'user_id'],
  ['user_preferences', 'user_id'],
];

/**
 * User ids are never reused (issue 9: a recycled rowid inherited a deleted user's tokens, app
 * passwords and contacts). SQLite hands out max(rowid)+1, so deleting the newest user freed its
 * id; a high-water mark in its own table fixes that. Seeded from every table that may still hold
 * the id of a user deleted before this migration.
 */
export function migrateUserIds(db: SqliteDb): void {
  migrate(db, 'user-ids', [
    (d) => {
      d.exec('CREATE TABLE user_id_seq (name TEXT PRIMARY KEY, last INTEGER NOT NULL)');
      let high = (d.prepare('SELECT COALESCE(MAX(id), 0) FROM users').pluck().get() as number) ?? 0;
      for (const [table, column] of USER_ID_COLUMNS) {
        if (!d.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table)) continue;
        const v = d.prepare(`SELECT COALESCE(MAX(CAST(${column} AS INTEGER)), 0) FROM ${table}`).pluck().get() as number;
        high = Math.max(high, v ?? 0);
      }
      d.prepare("INSERT INTO user_id_seq (name, last) VALUES ('users', ?)").run(high);
    },
  ]);
}

/** The next id, inside the caller's write transaction. */
export function nextUserId(db: SqliteDb): number {
  return cachedStatement(
    db,
    "UPDATE user_id_seq SET last = MAX(last, (SELECT COALESCE(MAX(id), 0) FROM users)) + 1 WHERE name = 'users' RETURNING last",
  )
    .pluck()
    .get() as number;
}
