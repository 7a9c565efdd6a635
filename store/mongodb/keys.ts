import type { DkimKey, DkimKeyStore, SecretStore } from '../../domain/index.js';
import type { Collections } from './collections.js';
import type { DkimKeyDoc } from './documents.js';
import { isDuplicateKey } from './context.js';

const toKey = (d: DkimKeyDoc): DkimKey => ({ domain: d._id, selector: d.selector, privateKeyPem: d.privateKeyPem, publicKeyBase64: d.publicKeyBase64 });

export function createMongoDkimKeyStore(c: Collections): DkimKeyStore {
  return {
    async get(domain) {
      const d = await c.dkimKeys.findOne({ _id: domain.toLowerCase() });
      return d ? toKey(d) : null;
    },
    async putIfAbsent(key) {
      const domain = key.domain.toLowerCase();
      try {
        await c.dkimKeys.insertOne(
          { _id: domain, selector: key.selector, privateKeyPem: key.privateKeyPem, publicKeyBase64: key.publicKeyBase64, createdAt: new Date() }
        );
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      return toKey((await c.dkimKeys.findOne({ _id: domain }))!);
    },
    async list() {
      return (await c.dkimKeys.find({}).sort({ _id: 1 }).toArray()).map(toKey);
    },
    async delete(domain) {
      await c.dkimKeys.deleteOne({ _id: domain.toLowerCase() });
    },
  };
}

export function createMongoSecretStore(c: Collections): SecretStore {
  return {
    async get(name) {
      return (await c.secrets.findOne({ _id: name }))?.value ?? null;
    },
    async putIfAbsent(name, value) {
      try {
        await c.secrets.insertOne({ _id: name, value, updatedAt: new Date() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      return (await c.secrets.findOne({ _id: name }))!.value;
    },
    async set(name, value) {
      await c.secrets.replaceOne({ _id: name }, { value, updatedAt: new Date() }, { upsert: true });
    },
  };
}
