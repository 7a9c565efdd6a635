import type { ClientSession } from 'mongodb';
import { StoreError, type ContactGroup } from '../../../domain/index.js';
import type { GroupDoc } from '../documents.js';
import { newId, runTransaction, type MongoContext } from '../context.js';

/** Contact groups; a member must be a contact of the same user. Memberships are documents of their own. */
export function createGroupMethods(ctx: MongoContext) {
  const { c } = ctx;

  async function toGroup(d: GroupDoc, session?: ClientSession): Promise<ContactGroup> {
    const members = await c.groupMembers.find({ groupId: d._id }, session ? { session } : {}).sort({ contactId: 1 }).toArray();
    return { id: d._id, userId: d.userId, name: d.name, contactIds: members.map((m) => m.contactId), createdAt: d.createdAt };
  }

  async function mustGroup(userId: string, id: string, session?: ClientSession): Promise<GroupDoc> {
    const d = await c.contactGroups.findOne({ _id: String(id), userId }, session ? { session } : {});
    if (!d) throw new StoreError('not_found', 'no such group');
    return d;
  }

  async function add(session: ClientSession, userId: string, groupId: string, contactIds: string[]): Promise<void> {
    for (const contactId of new Set(contactIds.map(String))) {
      if (!(await c.contacts.findOne({ _id: contactId, userId }, { session }))) throw new StoreError('not_found', `no such contact: ${contactId.slice(0, 40)}`);
      const _id = `${groupId}:${contactId}`;
      // Read first: a duplicate-key error would abort the whole transaction.
      if (!(await c.groupMembers.findOne({ _id }, { session }))) await c.groupMembers.insertOne({ _id, userId, groupId, contactId }, { session });
    }
  }

  return {
    async listGroups(userId: string): Promise<ContactGroup[]> {
      const docs = await c.contactGroups.find({ userId }).sort({ nameLower: 1, _id: 1 }).toArray();
      return Promise.all(docs.map((d) => toGroup(d)));
    },
    async getGroup(userId: string, id: string): Promise<ContactGroup | null> {
      const d = await c.contactGroups.findOne({ _id: String(id), userId });
      return d ? toGroup(d) : null;
    },
    async createGroup(userId: string, input: { name: string; contactIds?: string[] }): Promise<ContactGroup> {
      return runTransaction(ctx, async (session) => {
        const doc: GroupDoc = { _id: newId(), userId, name: input.name, nameLower: input.name.toLowerCase(), createdAt: new Date() };
        await c.contactGroups.insertOne(doc, { session });
        await add(session, userId, doc._id, input.contactIds ?? []);
        return toGroup(doc, session);
      });
    },
    async updateGroup(userId: string, id: string, input: { name: string; contactIds?: string[] }): Promise<ContactGroup> {
      return runTransaction(ctx, async (session) => {
        const d = await mustGroup(userId, id, session);
        await c.contactGroups.updateOne({ _id: d._id }, { $set: { name: input.name, nameLower: input.name.toLowerCase() } }, { session });
        if (input.contactIds) {
          await c.groupMembers.deleteMany({ groupId: d._id }, { session });
          await add(session, userId, d._id, input.contactIds);
        }
        return toGroup({ ...d, name: input.name }, session);
      });
    },
    async deleteGroup(userId: string, id: string): Promise<void> {
      await runTransaction(ctx, async (session) => {
        const d = await mustGroup(userId, id, session);
        await c.contactGroups.deleteOne({ _id: d._id }, { session });
        await c.groupMembers.deleteMany({ groupId: d._id }, { session });
      });
    },
    async addGroupMembers(userId: string, id: string, contactIds: string[]): Promise<ContactGroup> {
      return runTransaction(ctx, async (session) => {
        const d = await mustGroup(userId, id, session);
        await add(session, userId, d._id, contactIds);
        return toGroup(d, session);
      });
    },
    async removeGroupMember(userId: string, id: string, contactId: string): Promise<ContactGroup> {
      const d = await mustGroup(userId, id);
      if ((await c.groupMembers.deleteOne({ _id: `${d._id}:${String(contactId)}` })).deletedCount === 0) throw new StoreError('not_found', 'contact is not a member');
      return toGroup(d);
    },
  };
}
