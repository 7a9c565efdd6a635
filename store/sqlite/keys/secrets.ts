import type { SecretStore } from '../../../domain/index.js';
import type { SqliteDb } from '../db.js';
import { cachedStatement } from '../context.js';
import { migrateKeys } from './schema.js';

export function createSqliteSecretStore(db: SqliteDb): SecretStore {
  migrateKeys(db);
  const get = (name: string) => cachedStatement(db, 'SELECT value FROM secrets WHERE name = ?').pluck().get(name) as string | undefined;
  return {
    async get(name) {
      return get(name) ?? null;
    },
    async putIfAbsent(name, value) {
      cachedStatement(db, 'INSERT INTO secrets (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING').run(name, value, Date.now());
      return get(name)!;
    },
    async set(name, value) {
      cachedStatement(db, 'INSERT INTO secrets (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(
        name,
        value,
        Date.now(),
      );
    },
  };
}
