import type { SqliteDb } from './db.js';

/**
 * Schema migrations, versioned per area ('mail', 'accounts', 'queue', ...), so each part of the
 * store owns its tables without a shared list. A migration is applied once, in a transaction.
 * Never edit a shipped migration: append a new one.
 */
export type Migration = string | ((db: SqliteDb) => void);

export function migrate(db: SqliteDb, area: string, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_versions (area TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_versions WHERE area = ?').get(area) as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > migrations.length) {
    throw new Error(`database schema '${area}' is at version ${current}, newer than this Heron (${migrations.length})`);
  }
  for (let v = current; v < migrations.length; v++) {
    const step = migrations[v]!;
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.prepare('INSERT INTO schema_versions (area, version) VALUES (?, ?) ON CONFLICT(area) DO UPDATE SET version = excluded.version').run(area, v + 1);
    })();
  }
}
