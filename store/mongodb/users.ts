import { DEFAULT_MAILBOXES, StoreError, type Domain, type Id, type NewUser, type User, type UserPatch, type UserStore } from '../../domain/index.js';
import { createLoginPasswordCheck, hashPassword } from '../password.js';
import { USERNAME, checkPassword, checkPhone, checkQuota, checkText, domainOf, lookupKey, normalizeAddress, normalizeDomain } from '../user-rules.js';
import type { DomainDoc, UserDoc } from './documents.js';
import { newId, runTransaction, type MongoContext } from './context.js';
import { insertMailbox, mailboxDoc } from './mail/mailbox-docs.js';
import { dropBlobRefs } from './mail/blob-refs.js';

const toDomain = (d: DomainDoc): Domain => ({ id: d._id, name: d._id, createdAt: d.createdAt });

function toUser(d: UserDoc): User {
  return {
    id: d._id,
    username: d.username,
    address: d.address,
    displayName: d.displayName,
    firstName: d.firstName,
    lastName: d.lastName,
    phone: d.phone,
    verified: d.verified,
    disabled: d.disabled,
    admin: d.admin,
    quota: d.quota,
    storageUsed: d.storageUsed,
    createdAt: d.createdAt,
  };
}

/**
 * Users, domains and addresses on MongoDB. Every address (primary or alias) is a document keyed
 * by the address, so a recipient resolves with one lookup and uniqueness is the _id's.
 * createUser writes the user, its address and its six mailboxes in one transaction.
 */
export function createMongoUserStore(ctx: MongoContext): UserStore {
  const { c } = ctx;
  const passwordMatches = createLoginPasswordCheck();

  async function userByLogin(login: string): Promise<UserDoc | null> {
    const l = lookupKey(login);
    if (l === null) return null;
    if (!l.includes('@')) return c.users.findOne({ username: l });
    const a = await c.addresses.findOne({ _id: l });
    return a ? c.users.findOne({ _id: a.userId }) : null;
  }

  async function requireLocalDomain(address: string): Promise<void> {
    const domain = domainOf(address);
    if (!(await c.domains.findOne({ _id: domain }))) throw new StoreError('invalid', `${domain} is not a local domain (add it first)`);
  }

  return {
    async addDomain(name) {
      const d = normalizeDomain(name);
      await c.domains.updateOne({ _id: d }, { $setOnInsert: { createdAt: new Date(ctx.now()) } }, { upsert: true });
      return toDomain((await c.domains.findOne({ _id: d }))!);
    },

    async listDomains() {
      return (await c.domains.find({}).sort({ _id: 1 }).toArray()).map(toDomain);
    },

    async isLocalDomain(name) {
      if (typeof name !== 'string') return false;
      return (await c.domains.countDocuments({ _id: name.trim().toLowerCase().replace(/\.$/, '') }, { limit: 1 })) > 0;
    },

    async deleteDomain(name) {
      const d = normalizeDomain(name);
      await runTransaction(ctx, async (session) => {
        if (!(await c.domains.findOne({ _id: d }, { session }))) throw new StoreError('not_found', 'domain not found');
        if (await c.addresses.findOne({ domain: d }, { session })) throw new StoreError('conflict', 'domain still has addresses');
        await c.domains.deleteOne({ _id: d }, { session });
      });
    },

    async createUser(input: NewUser) {
      const username = typeof input.username === 'string' ? input.username.trim().toLowerCase() : '';
      if (!USERNAME.test(username)) throw new StoreError('invalid', 'invalid username');
      const address = normalizeAddress(input.address);
      const password = checkPassword(input.password);
      const quota = checkQuota(input.quota ?? 0);
      await requireLocalDomain(address);
      const taken = async () => (await c.users.findOne({ username })) !== null || (await c.addresses.findOne({ _id: address })) !== null;
      if (await taken()) throw new StoreError('already_exists', 'username or address already taken');
      const hash = await hashPassword(password);
      const now = ctx.now();
      const seconds = Math.floor(now / 1000);
      const doc: UserDoc = {
        _id: newId(),
        username,
        address,
        passwordHash: hash,
        displayName: input.displayName ?? '',
        firstName: input.firstName ?? '',
        lastName: input.lastName ?? '',
        phone: input.phone ?? null,
        verified: Boolean(input.verified),
        disabled: false,
        admin: Boolean(input.admin),
        quota,
        storageUsed: 0,
        lastUidValidity: seconds + DEFAULT_MAILBOXES.length - 1,
        createdAt: new Date(now),
      };
      // The unique indexes on username and address settle a race with another node (11000 -> already_exists).
      await runTransaction(ctx, async (session, fx) => {
        await c.users.insertOne(doc, { session });
        await c.addresses.insertOne({ _id: address, userId: doc._id, domain: domainOf(address), createdAt: doc.createdAt }, { session });
        for (const [i, mb] of DEFAULT_MAILBOXES.entries()) {
          await insertMailbox(c, session, fx, mailboxDoc(doc._id, mb.path, seconds + i, { specialUse: mb.specialUse, subscribed: true, nowMs: now }));
        }
      });
      return toUser(doc);
    },

    async getUser(id: Id) {
      if (typeof id !== 'string') return null;
      const d = await c.users.findOne({ _id: id });
      return d ? toUser(d) : null;
    },

    async findUserByLogin(login) {
      const d = await userByLogin(login);
      return d ? toUser(d) : null;
    },

    async listUsers(opts = {}) {
      const limit = Math.min(Math.max(Math.floor(opts.limit ?? 100), 1), 10_000);
      const offset = Math.max(Math.floor(opts.offset ?? 0), 0);
      return (await c.users.find({}).sort({ _id: 1 }).skip(offset).limit(limit).toArray()).map(toUser);
    },

    async updateUser(id: Id, patch: UserPatch) {
      const set: Partial<UserDoc> = {};
      if (patch.displayName !== undefined) set.displayName = checkText('display_name', patch.displayName);
      if (patch.firstName !== undefined) set.firstName = checkText('first_name', patch.firstName);
      if (patch.lastName !== undefined) set.lastName = checkText('last_name', patch.lastName);
      if (patch.phone !== undefined) set.phone = checkPhone(patch.phone);
      if (patch.verified !== undefined) set.verified = Boolean(patch.verified);
      if (patch.disabled !== undefined) set.disabled = Boolean(patch.disabled);
      if (patch.admin !== undefined) set.admin = Boolean(patch.admin);
      if (patch.quota !== undefined) set.quota = checkQuota(patch.quota);
      if (patch.password !== undefined) set.passwordHash = await hashPassword(checkPassword(patch.password));
      const d =
        Object.keys(set).length > 0
          ? await c.users.findOneAndUpdate({ _id: String(id) }, { $set: set }, { returnDocument: 'after' })
          : await c.users.findOne({ _id: String(id) });
      if (!d) throw new StoreError('not_found', 'user not found');
      return toUser(d);
    },

    async deleteUser(id: Id) {
      await runTransaction(ctx, async (session, fx) => {
        const user = await c.users.findOne({ _id: String(id) }, { session });
        if (!user) throw new StoreError('not_found', 'user not found');
        const blobIds: string[] = [];
        for await (const content of c.contents.find({ userId: user._id }, { session })) blobIds.push(...content.blobIds);
        await c.messages.deleteMany({ userId: user._id }, { session });
        await c.contents.deleteMany({ userId: user._id }, { session });
        await c.subscriptions.deleteMany({ userId: user._id }, { session });
        await dropBlobRefs(c, session, fx, blobIds);
        for (const mb of await c.mailboxes.find({ userId: user._id }, { session }).toArray()) {
          fx.events.push({ type: 'mailbox', userId: user._id, mailboxId: mb._id, action: 'delete', path: mb.path, modseq: mb.highestModseq + 1 });
          await c.journal.deleteMany({ mailboxId: mb._id }, { session });
        }
        await c.mailboxes.deleteMany({ userId: user._id }, { session });
        await c.addresses.deleteMany({ userId: user._id }, { session });
        await c.users.deleteOne({ _id: user._id }, { session });
      });
    },

    async verifyPassword(login, password) {
      const d = await userByLogin(login);
      if (typeof password !== 'string' || password.length > 1024) return null;
      if (!(await passwordMatches(d?.passwordHash ?? null, password)) || !d) return null;
      const fresh = await c.users.findOne({ _id: d._id });
      return fresh && !fresh.disabled ? toUser(fresh) : null;
    },

    async addAddress(userId, address) {
      const a = normalizeAddress(address);
      if (!(await c.users.findOne({ _id: String(userId) }))) throw new StoreError('not_found', 'user not found');
      await requireLocalDomain(a);
      await runTransaction(ctx, async (session) => {
        if (await c.addresses.findOne({ _id: a }, { session })) throw new StoreError('already_exists', 'address already taken');
        await c.addresses.insertOne({ _id: a, userId: String(userId), domain: domainOf(a), createdAt: new Date(ctx.now()) }, { session });
      });
    },

    async listAddresses(userId) {
      if (!(await c.users.findOne({ _id: String(userId) }))) throw new StoreError('not_found', 'user not found');
      return (await c.addresses.find({ userId: String(userId) }).sort({ createdAt: 1, _id: 1 }).toArray()).map((a) => a._id);
    },

    async resolveAddress(address) {
      const a = lookupKey(address);
      if (a === null) return null;
      const d = await c.addresses.findOne({ _id: a });
      return d ? { userId: d.userId, address: d._id } : null;
    },
  };
}
