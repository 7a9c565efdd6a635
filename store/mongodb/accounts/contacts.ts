import { StoreError, type Contact, type ContactInput } from '../../../domain/index.js';
import type { Collections } from '../collections.js';
import type { ContactDoc } from '../documents.js';
import { newId } from '../context.js';

const toContact = (d: ContactDoc): Contact => ({
  id: d._id,
  userId: d.userId,
  name: d.name,
  email: d.email,
  phone: d.phone,
  notes: d.notes,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

const fields = (c: ContactInput) => ({ name: c.name, nameLower: c.name.toLowerCase(), email: c.email.toLowerCase(), phone: c.phone ?? null, notes: c.notes ?? null });

export function createContactMethods(c: Collections) {
  async function getContact(userId: string, id: string): Promise<Contact | null> {
    const d = await c.contacts.findOne({ _id: String(id), userId });
    return d ? toContact(d) : null;
  }
  return {
    async listContacts(userId: string, opts: { limit?: number; offset?: number } = {}): Promise<Contact[]> {
      const docs = await c.contacts
        .find({ userId })
        .sort({ nameLower: 1, _id: 1 })
        .skip(opts.offset ?? 0)
        .limit(opts.limit ?? 1000)
        .toArray();
      return docs.map(toContact);
    },
    getContact,
    async createContact(userId: string, input: ContactInput): Promise<Contact> {
      const now = new Date();
      const doc: ContactDoc = { _id: newId(), userId, ...fields(input), createdAt: now, updatedAt: now };
      await c.contacts.insertOne(doc);
      return toContact(doc);
    },
    async updateContact(userId: string, id: string, input: ContactInput): Promise<Contact> {
      const d = await c.contacts.findOneAndUpdate({ _id: String(id), userId }, { $set: { ...fields(input), updatedAt: new Date() } }, { returnDocument: 'after' });
      if (!d) throw new StoreError('not_found', 'no such contact');
      return toContact(d);
    },
    async deleteContact(userId: string, id: string): Promise<void> {
      if ((await c.contacts.deleteOne({ _id: String(id), userId })).deletedCount === 0) throw new StoreError('not_found', 'no such contact');
      // Group memberships go with the contact (SQLite: ON DELETE CASCADE).
      await c.groupMembers.deleteMany({ contactId: String(id), userId });
    },
  };
}
