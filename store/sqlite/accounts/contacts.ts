import type { SqliteDb } from '../db.js';
import type { Contact, ContactInput } from '../../../domain/account-store.js';
import type { Id } from '../../../domain/ids.js';
import { StoreError } from '../../../domain/errors.js';

interface Row {
  id: number;
  user_id: string;
  name: string;
  email: string;
  phone: string | null;
  notes: string | null;
  created_at: number;
  updated_at: number;
}

const toContact = (r: Row): Contact => ({
  id: String(r.id),
  userId: r.user_id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  notes: r.notes,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

/** Ids are decimal rowids; anything else cannot exist, so it is 'not found' rather than a type error. */
export function rowId(id: Id): number | null {
  return /^\d{1,15}$/.test(id) ? Number(id) : null;
}

export function createContactTable(db: SqliteDb) {
  const list = db.prepare('SELECT * FROM contacts WHERE user_id = ? ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?');
  const get = db.prepare('SELECT * FROM contacts WHERE user_id = ? AND id = ?');
  const insert = db.prepare(
    'INSERT INTO contacts (user_id, name, email, phone, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare('UPDATE contacts SET name = ?, email = ?, phone = ?, notes = ?, updated_at = ? WHERE user_id = ? AND id = ?');
  const del = db.prepare('DELETE FROM contacts WHERE user_id = ? AND id = ?');

  function getContact(userId: Id, id: Id): Contact | null {
    const n = rowId(id);
    const r = n === null ? undefined : (get.get(userId, n) as Row | undefined);
    return r ? toContact(r) : null;
  }
  return {
    listContacts(userId: Id, opts: { limit?: number; offset?: number } = {}): Contact[] {
      return (list.all(userId, opts.limit ?? 1000, opts.offset ?? 0) as Row[]).map(toContact);
    },
    getContact,
    createContact(userId: Id, c: ContactInput): Contact {
      const now = Date.now();
      const info = insert.run(userId, c.name, c.email.toLowerCase(), c.phone ?? null, c.notes ?? null, now, now);
      return getContact(userId, String(info.lastInsertRowid))!;
    },
    updateContact(userId: Id, id: Id, c: ContactInput): Contact {
      const n = rowId(id);
      if (n === null || update.run(c.name, c.email.toLowerCase(), c.phone ?? null, c.notes ?? null, Date.now(), userId, n).changes === 0) {
        throw new StoreError('not_found', 'no such contact');
      }
      return getContact(userId, id)!;
    },
    deleteContact(userId: Id, id: Id): void {
      const n = rowId(id);
      if (n === null || del.run(userId, n).changes === 0) throw new StoreError('not_found', 'no such contact');
    },
  };
}
