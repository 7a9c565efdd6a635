import { StoreError, type AppPassword } from '../../../domain/index.js';
import { generateAppPassword, hashAppPassword } from '../../account-secrets.js';
import type { Collections } from '../collections.js';
import type { AppPasswordDoc } from '../documents.js';
import { newId } from '../context.js';

const toRecord = (d: AppPasswordDoc): AppPassword => ({ id: d._id, userId: d.userId, name: d.name, createdAt: d.createdAt, lastUsedAt: d.lastUsedAt });

export function createAppPasswordMethods(c: Collections) {
  return {
    async createAppPassword(userId: string, name: string): Promise<{ record: AppPassword; password: string }> {
      const password = generateAppPassword();
      const doc: AppPasswordDoc = { _id: newId(), userId, name, hash: hashAppPassword(password), createdAt: new Date(), lastUsedAt: null };
      await c.appPasswords.insertOne(doc);
      return { record: toRecord(doc), password };
    },
    async listAppPasswords(userId: string): Promise<AppPassword[]> {
      return (await c.appPasswords.find({ userId }).sort({ _id: 1 }).toArray()).map(toRecord);
    },
    async deleteAppPassword(userId: string, id: string): Promise<void> {
      if ((await c.appPasswords.deleteOne({ _id: String(id), userId })).deletedCount === 0) throw new StoreError('not_found', 'no such app password');
    },
    async verifyAppPassword(userId: string, password: string): Promise<boolean> {
      const d = await c.appPasswords.findOneAndUpdate({ userId, hash: hashAppPassword(password) }, { $set: { lastUsedAt: new Date() } });
      return d !== null;
    },
  };
}
