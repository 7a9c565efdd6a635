import { StoreError, type CopyResult, type Id, type MailStore, type UidSelector } from '../../../domain/index.js';
import type { MailboxDoc, MessageDoc } from '../documents.js';
import { newId, runTransaction, type MongoContext } from '../context.js';
import { recordChanges } from './journal.js';
import { allocateUids, relabel } from './message-writes.js';
import { uidFilter } from './uid-filter.js';

/**
 * COPY (RFC 3501 6.4.7) makes new message documents on the same content (EMAILID stays, RFC
 * 8474 5.1: one more copy counted, no bytes written); MOVE (RFC 6851) relabels them. Each is
 * one transaction.
 */
export function createCopyMoveMethods(ctx: MongoContext): Pick<MailStore, 'copyMessages' | 'moveMessages'> {
  const { c } = ctx;

  async function mailboxes(mailboxId: Id, targetMailboxId: Id): Promise<{ source: MailboxDoc; target: MailboxDoc }> {
    const [source, target] = await Promise.all([c.mailboxes.findOne({ _id: String(mailboxId) }), c.mailboxes.findOne({ _id: String(targetMailboxId) })]);
    if (!source) throw new StoreError('not_found', 'mailbox not found');
    // Mailboxes of another user are invisible, not forbidden.
    if (!target || target.userId !== source.userId) throw new StoreError('not_found', 'target mailbox not found');
    return { source, target };
  }

  return {
    async copyMessages(mailboxId, uids: UidSelector, targetMailboxId): Promise<CopyResult> {
      const filter = uidFilter(uids);
      const { source, target } = await mailboxes(mailboxId, targetMailboxId);
      return ctx.lock([source._id, target._id], () =>
        runTransaction(ctx, async (session, fx) => {
          const docs = await c.messages.find({ mailboxId: source._id, ...filter }, { session }).sort({ uid: 1 }).toArray();
          const current = await c.mailboxes.findOne({ _id: target._id }, { session });
          if (!current) throw new StoreError('not_found', 'target mailbox not found');
          if (docs.length === 0) return { uidValidity: current.uidValidity, sourceUids: [], destinationUids: [] };
          const user = await c.users.findOne({ _id: target.userId }, { session });
          const adding = docs.reduce((n, d) => n + d.size, 0);
          if (user && user.quota > 0 && user.storageUsed + adding > user.quota) throw new StoreError('quota_exceeded', 'quota exceeded');
          const { firstUid, modseq, uidValidity } = await allocateUids(c, session, target._id, docs.length);
          const savedAt = new Date(ctx.now());
          const copies: MessageDoc[] = docs.map((d, i) => ({ ...d, _id: newId(), mailboxId: target._id, uid: firstUid + i, modseq, savedAt }));
          await c.messages.insertMany(copies, { session });
          const perContent = new Map<string, number>();
          for (const d of docs) perContent.set(d.contentId, (perContent.get(d.contentId) ?? 0) + 1);
          await c.contents.bulkWrite(
            [...perContent].map(([id, n]) => ({ updateOne: { filter: { _id: id }, update: { $inc: { copies: n } } } })),
            { session, ordered: true },
          );
          await recordChanges(
            c,
            session,
            fx,
            copies.map((m) => ({ type: 'exists' as const, userId: target.userId, mailboxId: target._id, uid: m.uid, modseq, messageId: m._id })),
          );
          await c.users.updateOne({ _id: target.userId }, { $inc: { storageUsed: adding } }, { session });
          return { uidValidity, sourceUids: docs.map((d) => d.uid), destinationUids: copies.map((m) => m.uid) };
        }),
      );
    },

    async moveMessages(mailboxId, uids: UidSelector, targetMailboxId): Promise<CopyResult> {
      const filter = uidFilter(uids);
      const { source, target } = await mailboxes(mailboxId, targetMailboxId);
      return ctx.lock([source._id, target._id], () =>
        runTransaction(ctx, async (session, fx) => {
          const docs = await c.messages.find({ mailboxId: source._id, ...filter }, { session }).sort({ uid: 1 }).toArray();
          if (docs.length === 0) {
            const current = await c.mailboxes.findOne({ _id: target._id }, { session });
            return { uidValidity: current?.uidValidity ?? target.uidValidity, sourceUids: [], destinationUids: [] };
          }
          // RFC 6851 allows MOVE within one mailbox: the messages get new UIDs.
          const current = (await c.mailboxes.findOne({ _id: source._id }, { session }))!;
          return relabel(ctx, session, fx, current, target, docs);
        }),
      );
    },
  };
}
