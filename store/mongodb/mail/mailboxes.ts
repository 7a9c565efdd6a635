import type { ClientSession } from 'mongodb';
import { isSpecialUse, MAILBOX_DELIMITER, StoreError, type Id, type Mailbox, type MailboxStatus, type MailStore, type SpecialUse } from '../../../domain/index.js';
import { isInbox, normalizeMailboxPath, parentPaths } from '../../mailbox-names.js';
import type { MailboxDoc } from '../documents.js';
import { runTransaction, type MongoContext, type TxEffects } from '../context.js';
import { nextModseq, recordChange } from './journal.js';
import { insertMailbox, mailboxDoc, nextUidValidities, toMailbox } from './mailbox-docs.js';
import { renameSubscription, setSubscription } from './subscriptions.js';
import { deleteMessages, moveAllMessages } from './message-writes.js';

type MailboxMethods = Pick<
  MailStore,
  | 'listMailboxes'
  | 'getMailbox'
  | 'getMailboxById'
  | 'getSpecialMailbox'
  | 'createMailbox'
  | 'renameMailbox'
  | 'deleteMailbox'
  | 'setSubscribed'
  | 'listSubscriptions'
  | 'getMailboxStatus'
  | 'listKeywords'
  | 'claimRecent'
  | 'urlAuthGeneration'
>;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Mailboxes, subscriptions and per-mailbox IMAP state on MongoDB. */
export function createMailboxMethods(ctx: MongoContext): MailboxMethods {
  const { c } = ctx;

  async function requireUser(userId: Id, session?: ClientSession): Promise<string> {
    if (typeof userId !== 'string' || !(await c.users.findOne({ _id: userId }, session ? { session } : {}))) throw new StoreError('not_found', 'user not found');
    return userId;
  }

  async function requireByPath(userId: string, path: string, session: ClientSession): Promise<MailboxDoc> {
    const mb = await c.mailboxes.findOne({ userId, path }, { session });
    if (!mb) throw new StoreError('not_found', 'mailbox not found');
    return mb;
  }

  async function requireMailbox(mailboxId: Id): Promise<MailboxDoc> {
    const mb = typeof mailboxId === 'string' ? await c.mailboxes.findOne({ _id: mailboxId }) : null;
    if (!mb) throw new StoreError('not_found', 'mailbox not found');
    return mb;
  }

  async function createWithParents(session: ClientSession, fx: TxEffects, userId: string, path: string, opts: { specialUse?: SpecialUse | null; subscribed?: boolean }): Promise<MailboxDoc> {
    const missing = [];
    for (const parent of parentPaths(path)) if (!(await c.mailboxes.findOne({ userId, path: parent }, { session }))) missing.push(parent);
    const validities = await nextUidValidities(c, session, userId, missing.length + 1, ctx.now());
    for (const [i, parent] of missing.entries()) await insertMailbox(c, session, fx, mailboxDoc(userId, parent, validities[i]!, { nowMs: ctx.now() }));
    return insertMailbox(c, session, fx, mailboxDoc(userId, path, validities[missing.length]!, { ...opts, nowMs: ctx.now() }));
  }

  return {
    async listMailboxes(userId) {
      return (await c.mailboxes.find({ userId: String(userId) }).sort({ path: 1 }).toArray()).map(toMailbox);
    },

    async getMailbox(userId, path) {
      let p: string;
      try {
        p = normalizeMailboxPath(path);
      } catch {
        return null;
      }
      const mb = await c.mailboxes.findOne({ userId: String(userId), path: p });
      return mb ? toMailbox(mb) : null;
    },

    async getMailboxById(userId, mailboxId) {
      const mb = await c.mailboxes.findOne({ _id: String(mailboxId), userId: String(userId) });
      return mb ? toMailbox(mb) : null;
    },

    async getSpecialMailbox(userId, specialUse) {
      const [mb] = await c.mailboxes.find({ userId: String(userId), specialUse: String(specialUse) }).sort({ createdAt: 1, _id: 1 }).limit(1).toArray();
      return mb ? toMailbox(mb) : null;
    },

    async createMailbox(userId, path, opts = {}): Promise<Mailbox> {
      const p = normalizeMailboxPath(path);
      if (opts.specialUse !== undefined && !isSpecialUse(opts.specialUse)) throw new StoreError('invalid', 'unknown special-use');
      const uid = await requireUser(userId);
      return runTransaction(ctx, async (session, fx) => {
        if (await c.mailboxes.findOne({ userId: uid, path: p }, { session })) throw new StoreError('already_exists', 'mailbox already exists');
        return toMailbox(await createWithParents(session, fx, uid, p, { specialUse: opts.specialUse ?? null, subscribed: opts.subscribed ?? true }));
      });
    },

    async renameMailbox(userId, path, newPath): Promise<Mailbox> {
      const from = normalizeMailboxPath(path);
      const to = normalizeMailboxPath(newPath);
      const uid = await requireUser(userId);
      return runTransaction(ctx, async (session, fx) => {
        const source = await requireByPath(uid, from, session);
        if (from === to || (await c.mailboxes.findOne({ userId: uid, path: to }, { session }))) throw new StoreError('already_exists', 'target mailbox already exists');
        if (to.startsWith(from + MAILBOX_DELIMITER)) throw new StoreError('invalid', 'cannot rename a mailbox into itself');

        if (isInbox(from)) {
          // RFC 3501 6.3.5: renaming INBOX moves its messages to the new name; INBOX stays, empty.
          const target = await createWithParents(session, fx, uid, to, { subscribed: false });
          await moveAllMessages(ctx, session, fx, source, target);
          return toMailbox((await c.mailboxes.findOne({ _id: target._id }, { session }))!);
        }
        const children = await c.mailboxes.find({ userId: uid, path: { $regex: `^${escapeRegex(from + MAILBOX_DELIMITER)}` } }, { session }).toArray();
        for (const child of children) {
          const childTo = to + child.path.slice(from.length);
          if (await c.mailboxes.findOne({ userId: uid, path: childTo }, { session })) throw new StoreError('already_exists', `${childTo} already exists`);
        }
        // Parents of the new name, made before the rename so the new tree is whole.
        const missing = [];
        for (const parent of parentPaths(to)) if (!(await c.mailboxes.findOne({ userId: uid, path: parent }, { session }))) missing.push(parent);
        const validities = await nextUidValidities(c, session, uid, missing.length, ctx.now());
        for (const [i, parent] of missing.entries()) await insertMailbox(c, session, fx, mailboxDoc(uid, parent, validities[i]!, { nowMs: ctx.now() }));
        for (const mb of [source, ...children]) {
          const newName = mb._id === source._id ? to : to + mb.path.slice(from.length);
          await c.mailboxes.updateOne({ _id: mb._id }, { $set: { path: newName } }, { session });
          await renameSubscription(c, session, uid, mb.path, newName);
          const modseq = await nextModseq(c, session, mb._id);
          await recordChange(c, session, fx, { type: 'mailbox', userId: uid, mailboxId: mb._id, action: 'rename', path: newName, modseq });
        }
        return toMailbox((await c.mailboxes.findOne({ _id: source._id }, { session }))!);
      });
    },

    async deleteMailbox(userId, path) {
      const p = normalizeMailboxPath(path);
      if (isInbox(p)) throw new StoreError('cannot_delete', 'INBOX cannot be deleted');
      const uid = await requireUser(userId);
      await runTransaction(ctx, async (session, fx) => {
        const mb = await requireByPath(uid, p, session);
        await deleteMessages(ctx, session, fx, { mailboxId: mb._id });
        await c.journal.deleteMany({ mailboxId: mb._id }, { session });
        await c.mailboxes.deleteOne({ _id: mb._id }, { session });
        // No journal entry: the journal goes with the mailbox. Listeners still hear of it.
        fx.events.push({ type: 'mailbox', userId: uid, mailboxId: mb._id, action: 'delete', path: mb.path, modseq: mb.highestModseq + 1 });
      });
    },

    async setSubscribed(userId, path, subscribed) {
      const p = normalizeMailboxPath(path);
      const uid = await requireUser(userId);
      await runTransaction(ctx, (session) => setSubscription(c, session, uid, p, Boolean(subscribed)));
    },

    async listSubscriptions(userId) {
      return (await c.subscriptions.find({ userId: String(userId) }).sort({ path: 1 }).toArray()).map((s) => s.path);
    },

    async getMailboxStatus(mailboxId): Promise<MailboxStatus> {
      const mb = await requireMailbox(mailboxId);
      const [totals] = await c.messages
        .aggregate<{ n: number; size: number }>([{ $match: { mailboxId: mb._id } }, { $group: { _id: null, n: { $sum: 1 }, size: { $sum: '$size' } } }])
        .toArray();
      const [unseen, recent, deleted] = await Promise.all([
        c.messages.countDocuments({ mailboxId: mb._id, flagsLower: { $ne: '\\seen' } }),
        c.messages.countDocuments({ mailboxId: mb._id, uid: { $gt: mb.recentUid } }),
        c.messages.countDocuments({ mailboxId: mb._id, flagsLower: '\\deleted' }),
      ]);
      return {
        messages: totals?.n ?? 0,
        unseen,
        uidNext: mb.uidNext,
        uidValidity: mb.uidValidity,
        highestModseq: mb.highestModseq,
        size: totals?.size ?? 0,
        recent,
        deleted,
      };
    },

    async listKeywords(mailboxId) {
      const mb = await requireMailbox(mailboxId);
      const seen = new Map<string, string>();
      for await (const m of c.messages.find({ mailboxId: mb._id, 'flags.0': { $exists: true } }).sort({ uid: 1 })) {
        // Keywords compare case-insensitively: the first spelling met wins.
        for (const f of m.flags) if (!f.startsWith('\\') && !seen.has(f.toLowerCase())) seen.set(f.toLowerCase(), f);
      }
      return [...seen.values()].sort();
    },

    async claimRecent(mailboxId, upToUid) {
      const up = Math.floor(Number(upToUid));
      const mb = await requireMailbox(mailboxId);
      return ctx.lock([mb._id], () =>
        runTransaction(ctx, async (session) => {
          const cur = await c.mailboxes.findOne({ _id: mb._id }, { session });
          if (!cur) throw new StoreError('not_found', 'mailbox not found');
          // Never past UIDNEXT-1: a UID not yet assigned cannot have been told to anyone; never lowered.
          const target = Math.min(Number.isFinite(up) ? up : 0, cur.uidNext - 1);
          if (target > cur.recentUid) await c.mailboxes.updateOne({ _id: cur._id, recentUid: cur.recentUid }, { $set: { recentUid: target } }, { session });
          return cur.recentUid;
        }),
      );
    },

    async urlAuthGeneration(mailboxId, opts = {}) {
      const mb = await requireMailbox(mailboxId);
      if (!opts.reset) return mb.urlAuthGeneration;
      const after = await c.mailboxes.findOneAndUpdate({ _id: mb._id }, { $inc: { urlAuthGeneration: 1 } }, { returnDocument: 'after' });
      if (!after) throw new StoreError('not_found', 'mailbox not found');
      return after.urlAuthGeneration;
    },
  };
}

