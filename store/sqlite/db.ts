import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteDb = Database.Database;

/**
 * How much of the file SQLite maps into memory for reads by default: the server's reads come
 * straight from the kernel's page cache instead of being copied into SQLite's own.
 */
export const DEFAULT_MMAP_BYTES = 256 * 1024 * 1024;

export interface DatabaseOptions {
  /**
   * mmap_size in bytes (0: no map, every read goes through SQLite's page cache). Mapped pages
   * count in the process's resident set, so a short-lived bulk writer (`heron import`) asks
   * for less than the server's DEFAULT_MMAP_BYTES.
   */
  mmapBytes?: number;
}

/**
 * Opens the database with every pragma in one place.
 * Durability: WAL with synchronous=FULL fsyncs the WAL on every commit, so a transaction that
 * returned has survived power loss (NORMAL would only survive a process crash).
 */
export function openDatabase(path: string, opts: DatabaseOptions = {}): SqliteDb {
  const mmapBytes = opts.mmapBytes ?? DEFAULT_MMAP_BYTES;
  if (!Number.isSafeInteger(mmapBytes) || mmapBytes < 0) throw new RangeError(`mmapBytes: a whole number of bytes, not ${mmapBytes}`);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536'); // 64 MiB page cache
  db.pragma(`mmap_size = ${mmapBytes}`);
  return db;
}
