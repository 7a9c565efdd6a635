import type { SqliteDb } from '../db.js';
import type { ContactGroup } from '../../../domain/account-store.js';
import type { Id } from '../../../domain/ids.js';
import { StoreError } from '../../../domain/errors.js';
import { rowId } from './contacts.js';

interface Row {
  id: number;
  user_id: string;
  name: string;
  created_at: number;
}

/** Contact groups; a member must be a contact of the same user. */
export function createGroupTable(db: SqliteDb) {
  const list = db.prepare('SELECT * FROM contact_groups WHERE user_id = ? ORDER BY name COLLATE NOCASE, id');
  const get = db.prepare('SELECT * FROM contact_groups WHERE user_id = ? AND id = ?');
  const members = db.prepare('SELECT contact_id FROM contact_group_members WHERE group_id = ? ORDER BY contact_id');
  const insert = db.prepare('INSERT INTO contact_groups (user_id, name, created_at) VALUES (?, ?, ?)');
  const rename = db.prepare('UPDATE contact_groups SET name = ? WHERE user_id = ? AND id = ?');
  const del = db.prepare('DELETE FROM contact_groups WHERE user_id = ? AND id = ?');
  const ownsContact = db.prepare('SELECT 1 FROM contacts WHERE user_id = ? AND id = ?');
  const addMember = db.prepare('INSERT OR IGNORE INTO contact_group_members (group_id, contact_id) VALUES (?, ?)');
  const removeMember = db.prepare('DELETE FROM contact_group_members WHERE group_id = ? AND contact_id = ?');
  const clearMembers = db.prepare('DELETE FROM contact_group_members WHERE group_id = ?');

  const toGroup = (r: Row): ContactGroup => ({
    id: String(r.id),
    userId: r.user_id,
    name: r.name,
    contactIds: (members.all(r.id) as Array<{ contact_id: number }>).map((m) => String(m.contact_id)),
    createdAt: new Date(r.created_at),
  });

  function mustGroup(userId: Id, id: Id): Row {
    const n = rowId(id);
    const r = n === null ? undefined : (get.get(userId, n) as Row | undefined);
    if (!r) throw new StoreError('not_found', 'no such group');
    return r;
  }

  function add(userId: Id, groupId: number, contactIds: Id[]): void {
    for (const c of contactIds) {
      const n = rowId(c);
      if (n === null || !ownsContact.get(userId, n)) throw new StoreError('not_found', `no such contact: ${c.slice(0, 40)}`);
      addMember.run(groupId, n);
    }
  }

  return {
    listGroups(userId: Id): ContactGroup[] {
      return (list.all(userId) as Row[]).map(toGroup);
    },
    getGroup(userId: Id, id: Id): ContactGroup | null {
      try {
        return toGroup(mustGroup(userId, id));
      } catch {
        return null;
      }
    },
    createGroup(userId: Id, input: { name: string; contactIds?: Id[] }): ContactGroup {
      return db.transaction(() => {
        const info = insert.run(userId, input.name, Date.now());
        add(userId, Number(info.lastInsertRowid), input.contactIds ?? []);
        return toGroup(get.get(userId, info.lastInsertRowid) as Row);
      })();
    },
    updateGroup(userId: Id, id: Id, input: { name: string; contactIds?: Id[] }): ContactGroup {
      return db.transaction(() => {
        const r = mustGroup(userId, id);
        rename.run(input.name, userId, r.id);
        if (input.contactIds) {
          clearMembers.run(r.id);
          add(userId, r.id, input.contactIds);
        }
        return toGroup(get.get(userId, r.id) as Row);
      })();
    },
    deleteGroup(userId: Id, id: Id): void {
      const r = mustGroup(userId, id);
      del.run(userId, r.id);
    },
    addGroupMembers(userId: Id, id: Id, contactIds: Id[]): ContactGroup {
      return db.transaction(() => {
        const r = mustGroup(userId, id);
        add(userId, r.id, contactIds);
        return toGroup(r);
      })();
    },
    removeGroupMember(userId: Id, id: Id, contactId: Id): ContactGroup {
      const r = mustGroup(userId, id);
      const n = rowId(contactId);
      if (n === null || removeMember.run(r.id, n).changes === 0) throw new StoreError('not_found', 'contact is not a member');
      return toGroup(r);
    },
  };
}
