import { StoreError, type FlagUpdateResult, type MailStore } from '../../../domain/index.js';
import { applyFlagUpdate, normalizeFlags, sameFlags } from '../../flag-rules.js';
import { runTransaction, type MongoContext } from '../context.js';
import { nextModseq, recordChanges } from './journal.js';
import { requireMailbox } from './mailbox-docs.js';
import { deleteMessages, flagFields } from './message-writes.js';
import { uidFilter } from './uid-filter.js';

/** STORE (RFC 3501 6.4.6) with CONDSTORE's UNCHANGEDSINCE (RFC 7162 3.1.3), and EXPUNGE (RFC 3501 6.4.3, RFC 4315 UID EXPUNGE). */
export function createFlagMethods(ctx: MongoContext): Pick<MailStore, 'updateFlags' | 'expunge'> {
  const { c } = ctx;

  return {
    async updateFlags(mailboxId, uids, update): Promise<FlagUpdateResult> {
      if (!update || !['set', 'add', 'remove'].includes(update.action)) throw new StoreError('invalid', 'invalid flag action');
      const flags = normalizeFlags(update.flags);
      const unchangedSince = update.unchangedSince;
      if (unchangedSince !== undefined && (!Number.isSafeInteger(unchangedSince) || unchangedSince < 0)) throw new StoreError('invalid', 'invalid UNCHANGEDSINCE');
      const filter = uidFilter(uids);
      const mb = await requireMailbox(c, mailboxId);
      return ctx.lock([mb._id], () =>
        runTransaction(ctx, async (session, fx) => {
          const docs = await c.messages.find({ mailboxId: mb._id, ...filter }, { session }).sort({ uid: 1 }).toArray();
          const result: FlagUpdateResult = { updated: [], modified: [] };
          const changes: Array<{ id: string; uid: number; stored: ReturnType<typeof flagFields> }> = [];
          for (const d of docs) {
            if (unchangedSince !== undefined && d.modseq > unchangedSince) {
              result.modified.push(d.uid);
              continue;
            }
            const next = applyFlagUpdate(d.flags, update.action, flags);
            if (!sameFlags(d.flags, next)) changes.push({ id: d._id, uid: d.uid, stored: flagFields(next) });
          }
          // A no-op STORE leaves HIGHESTMODSEQ alone.
          if (changes.length === 0) return result;
          const modseq = await nextModseq(c, session, mb._id);
          await c.messages.bulkWrite(
            changes.map((ch) => ({ updateOne: { filter: { _id: ch.id }, update: { $set: { ...ch.stored, modseq } } } })),
            { session, ordered: true },
          );
          result.updated = changes.map((ch) => ({ uid: ch.uid, flags: ch.stored.flags, modseq }));
          await recordChanges(
            c,
            session,
            fx,
            changes.map((ch) => ({ type: 'flags' as const, userId: mb.userId, mailboxId: mb._id, uid: ch.uid, modseq, flags: ch.stored.flags })),
          );
          return result;
        }),
      );
    },

    async expunge(mailboxId, opts = {}) {
      const filter = opts.uids !== undefined ? uidFilter(opts.uids) : {};
      const mb = await requireMailbox(c, mailboxId);
      return ctx.lock([mb._id], () =>
        runTransaction(ctx, async (session, fx) => {
          const gone = await deleteMessages(ctx, session, fx, { mailboxId: mb._id, flagsLower: '\\deleted', ...filter });
          if (gone.length === 0) return [];
          const modseq = await nextModseq(c, session, mb._id);
          await recordChanges(c, session, fx, gone.map((d) => ({ type: 'expunge' as const, userId: mb.userId, mailboxId: mb._id, uid: d.uid, modseq })));
          return gone.map((d) => d.uid);
        }),
      );
    },
  };
}
