import type { SqliteDb } from '../db.js';
import type { AppPassword } from '../../../domain/account-store.js';
import type { Id } from '../../../domain/ids.js';
import { StoreError } from '../../../domain/errors.js';
import { generateAppPassword, hashAppPassword } from '../../account-secrets.js';

interface Row {
  id: number;
  user_id: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

const toRecord = (r: Row): AppPassword => ({
  id: String(r.id),
  userId: r.user_id,
  name: r.name,
  createdAt: new Date(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : new Date(r.last_used_at),
});

export function createAppPasswordTable(db: SqliteDb) {
  const insert = db.prepare('INSERT INTO app_passwords (user_id, name, hash, created_at) VALUES (?, ?, ?, ?)');
  const list = db.prepare('SELECT id, user_id, name, created_at, last_used_at FROM app_passwords WHERE user_id = ? ORDER BY id');
  const getOne = db.prepare('SELECT id, user_id, name, created_at, last_used_at FROM app_passwords WHERE id = ?');
  const del = db.prepare('DELETE FROM app_passwords WHERE user_id = ? AND id = ?');
  const find = db.prepare('SELECT id FROM app_passwords WHERE user_id = ? AND hash = ?');
  const touch = db.prepare('UPDATE app_passwords SET last_used_at = ? WHERE id = ?');
  return {
    createAppPassword(userId: Id, name: string): { record: AppPassword; password: string } {
      const password = generateAppPassword();
      const info = insert.run(userId, name, hashAppPassword(password), Date.now());
      return { record: toRecord(getOne.get(info.lastInsertRowid) as Row), password };
    },
    listAppPasswords(userId: Id): AppPassword[] {
      return (list.all(userId) as Row[]).map(toRecord);
    },
    deleteAppPassword(userId: Id, id: Id): void {
      if (!/^\d{1,15}$/.test(id) || del.run(userId, Number(id)).changes === 0) throw new StoreError('not_found', 'no such app password');
    },
    verifyAppPassword(userId: Id, password: string): boolean {
      const r = find.get(userId, hashAppPassword(password)) as { id: number } | undefined;
      if (!r) return false;
      touch.run(Date.now(), r.id);
      return true;
    },
  };
}
