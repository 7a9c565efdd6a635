import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteDb = Database.Database;

/**
 * Opens the database with every pragma in one place.
 * Durability: WAL with synchronous=FULL fsyncs the WAL on every commit, so a transaction that
 * returned has survived power loss (NORMAL would only survive a process crash).
 */
export function openDatabase(path: string): SqliteDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536'); // 64 MiB page cache
  db.pragma('mmap_size = 268435456');
  return db;
}
