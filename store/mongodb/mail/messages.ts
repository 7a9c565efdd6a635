import { StoreError, type AppendResult, type DeliveryTarget, type Id, type MailStore, type MessageField, type MessageRecord, type UidSelector } from '../../../domain/index.js';
import type { MailboxDoc } from '../documents.js';
import { runTransaction, type MongoContext } from '../context.js';
import { readChanges } from './journal.js';
import { requireMailbox } from './mailbox-docs.js';
import { attachContent, contentTemplate } from './contents.js';
import { insertMessage, referencedIds, resolveThread } from './message-writes.js';
import { clampLimit, contentsFor, decodeCursor, encodeCursor, toRecord, toSummary } from './records.js';
import { uidFilter } from './uid-filter.js';

// Documents per batch: small enough that heavy fields (message bytes) stay bounded in memory.
const LIGHT_BATCH = 2000;
const HEAVY_BATCH = 200;

type MessageMethods = Pick<
  MailStore,
  'deliver' | 'append' | 'listUids' | 'getMessages' | 'getMessageById' | 'findByMessageIdHeader' | 'listMessages' | 'getChanges' | 'getQuota'
>;

function validDate(d: Date | undefined, fallback: number): Date {
  if (d === undefined) return new Date(fallback);
  const t = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(t)) throw new StoreError('invalid', 'invalid internal date');
  return new Date(t);
}

export function createMessageMethods(ctx: MongoContext): MessageMethods {
  const { c } = ctx;

  /** EMAILID: a decimal counter shared by the cluster, taken outside the transaction (a gap after an abort is harmless). */
  async function nextEmailId(): Promise<string> {
    const doc = await c.counters.findOneAndUpdate({ _id: 'emailId' }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after' });
    return String(doc!.value);
  }

  async function targetMailbox(t: DeliveryTarget): Promise<MailboxDoc> {
    const userId = String(t.userId);
    if ('mailboxId' in t.mailbox) {
      const mb = await c.mailboxes.findOne({ _id: String(t.mailbox.mailboxId), userId });
      if (!mb) throw new StoreError('not_found', 'mailbox not found');
      return mb;
    }
    const [special] = await c.mailboxes.find({ userId, specialUse: String(t.mailbox.specialUse) }).sort({ createdAt: 1, _id: 1 }).limit(1).toArray();
    // A user who deleted Junk (say) still gets the mail, in INBOX.
    const mb = special ?? (await c.mailboxes.findOne({ userId, path: 'INBOX' }));
    if (!mb) throw new StoreError('not_found', 'user not found');
    return mb;
  }

  return {
    async deliver(message, targets, opts = {}) {
      if (!Array.isArray(targets) || targets.length === 0) throw new StoreError('invalid', 'no delivery targets');
      const internalDate = validDate(opts.internalDate, ctx.now());
      const template = await contentTemplate(ctx, message);
      // Resolve every target first: a bad one fails the delivery before anything is written.
      const boxes = await Promise.all(targets.map((t) => targetMailbox(t)));
      const emailId = await nextEmailId();
      const refs = referencedIds(message);
      return ctx.lock(
        boxes.map((b) => b._id),
        () =>
          runTransaction(ctx, async (session, fx) => {
            const savedAt = new Date(ctx.now());
            const out: AppendResult[] = [];
            for (const [i, mb] of boxes.entries()) {
              const contentId = await attachContent(c, session, mb.userId, emailId, template);
              const threadId = await resolveThread(c, session, mb.userId, refs, emailId);
              out.push(await insertMessage(ctx, session, fx, mb, message, { contentId, emailId, threadId }, { flags: targets[i]!.flags ?? [], internalDate, savedAt }));
            }
            return out;
          }),
      );
    },

    async append(userId, mailboxId, message, opts = {}) {
      const internalDate = validDate(opts.internalDate, ctx.now());
      const template = await contentTemplate(ctx, message);
      const mb = await c.mailboxes.findOne({ _id: String(mailboxId), userId: String(userId) });
      if (!mb) throw new StoreError('not_found', 'mailbox not found');
      const emailId = await nextEmailId();
      return ctx.lock([mb._id], () =>
        runTransaction(ctx, async (session, fx) => {
          const user = await c.users.findOne({ _id: mb.userId }, { session });
          if (!user) throw new StoreError('not_found', 'user not found');
          if (user.quota > 0 && user.storageUsed + message.size > user.quota) throw new StoreError('quota_exceeded', 'quota exceeded');
          const contentId = await attachContent(c, session, mb.userId, emailId, template);
          const threadId = await resolveThread(c, session, mb.userId, referencedIds(message), emailId);
          return insertMessage(ctx, session, fx, mb, message, { contentId, emailId, threadId }, { flags: opts.flags ?? [], internalDate, savedAt: new Date(ctx.now()) });
        }),
      );
    },

    async listUids(mailboxId) {
      const mb = await requireMailbox(c, mailboxId);
      return (await c.messages.find({ mailboxId: mb._id }).sort({ uid: 1 }).toArray()).map((m) => m.uid);
    },

    getMessages(mailboxId: Id, uids: UidSelector, opts: { fields?: MessageField[]; changedSince?: number } = {}): AsyncIterable<MessageRecord> {
      const filter = uidFilter(uids);
      const heavy = (opts.fields ?? []).some((f) => f !== 'flags' && f !== 'sortKeys');
      const batch = heavy ? HEAVY_BATCH : LIGHT_BATCH;
      return {
        async *[Symbol.asyncIterator]() {
          const mb = await requireMailbox(c, mailboxId);
          // Keyset batches by uid: no cursor stays open across a yield.
          let after = 0;
          for (;;) {
            const docs = await c.messages
              .find({
                mailboxId: mb._id,
                $and: [filter, { uid: { $gt: after } }],
                ...(opts.changedSince !== undefined ? { modseq: { $gt: opts.changedSince } } : {}),
              })
              .sort({ uid: 1 })
              .limit(batch)
              .toArray();
            const contents = await contentsFor(c, docs, opts.fields);
            for (const d of docs) yield toRecord(d, opts.fields, contents.get(d.contentId));
            if (docs.length < batch) return;
            after = docs[docs.length - 1]!.uid;
          }
        },
      };
    },

    async getMessageById(userId, messageId, fields) {
      const d = await c.messages.findOne({ _id: String(messageId), userId: String(userId) });
      if (!d) return null;
      return toRecord(d, fields, (await contentsFor(c, [d], fields)).get(d.contentId));
    },

    async findByMessageIdHeader(mailboxId, messageIdHeader, opts = {}) {
      if (typeof messageIdHeader !== 'string' || messageIdHeader.length === 0) return null;
      const since = opts.savedSince instanceof Date && !Number.isNaN(opts.savedSince.getTime()) ? opts.savedSince : new Date(0);
      const mb = await c.mailboxes.findOne({ _id: String(mailboxId) });
      if (!mb) return null;
      const [d] = await c.messages
        .find({ userId: mb.userId, messageIdHeader: messageIdHeader.slice(0, 998), mailboxId: mb._id, savedAt: { $gte: since } })
        .sort({ uid: 1 })
        .limit(1)
        .toArray();
      return d?.uid ?? null;
    },

    async listMessages(mailboxId, opts = {}) {
      const mb = await requireMailbox(c, mailboxId);
      const limit = clampLimit(opts.limit);
      const cursor = decodeCursor(opts.cursor, ['n']);
      const docs = await c.messages
        .find({ mailboxId: mb._id, uid: { $lt: cursor ? (cursor[0] as number) : Number.MAX_SAFE_INTEGER } })
        .sort({ uid: -1 })
        .limit(limit + 1)
        .toArray();
      const page = docs.slice(0, limit);
      const contents = await contentsFor(c, page, ['header']);
      return { items: page.map((d) => toSummary(d, contents.get(d.contentId))), nextCursor: docs.length > limit ? encodeCursor([page[page.length - 1]!.uid]) : null };
    },

    async getChanges(mailboxId, sinceModseq) {
      const mb = await requireMailbox(c, mailboxId);
      return readChanges(c, mb._id, Number(sinceModseq) || 0);
    },

    async getQuota(userId) {
      const user = await c.users.findOne({ _id: String(userId) });
      if (!user) throw new StoreError('not_found', 'user not found');
      return { used: user.storageUsed, limit: user.quota };
    },
  };
}
