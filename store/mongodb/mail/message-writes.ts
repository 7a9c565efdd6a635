import type { ClientSession, Filter } from 'mongodb';
import { StoreError, type AppendResult, type CopyResult, type PreparedMessage } from '../../../domain/index.js';
import { normalizeFlags } from '../../flag-rules.js';
import type { Collections } from '../collections.js';
import type { MailboxDoc, MessageDoc } from '../documents.js';
import { newId, type MongoContext, type TxEffects } from '../context.js';
import { nextModseq, recordChange, recordChanges } from './journal.js';
import { releaseContents } from './contents.js';

/**
 * Allocates `count` UIDs (RFC 3501 2.3.1.1: strictly ascending, never re-used) and one new
 * MODSEQ: findOneAndUpdate + $inc on the mailbox inside the writing transaction, so a
 * transaction that aborts gives its UIDs back and two that race conflict and retry.
 */
export async function allocateUids(c: Collections, session: ClientSession, mailboxId: string, count: number): Promise<{ firstUid: number; modseq: number; uidValidity: number }> {
  const mb = await c.mailboxes.findOneAndUpdate({ _id: mailboxId }, { $inc: { uidNext: count, highestModseq: 1 } }, { session, returnDocument: 'after' });
  if (!mb) throw new StoreError('not_found', 'mailbox not found');
  return { firstUid: mb.uidNext - count, modseq: mb.highestModseq, uidValidity: mb.uidValidity };
}

const cap = (s: unknown, max: number): string => (typeof s === 'string' ? s.slice(0, max) : '');

/** Message-IDs this message refers to (RFC 5322 3.6.4), nearest last; capped against hostile headers. */
export function referencedIds(msg: PreparedMessage): string[] {
  const refs = [...(msg.header.references ?? []), ...(msg.header.inReplyTo ? [msg.header.inReplyTo] : [])];
  return refs.filter((r) => typeof r === 'string' && r.length > 0 && r.length <= 998).slice(-50);
}

export function flagFields(flags: readonly string[]): Pick<MessageDoc, 'flags' | 'flagsLower'> {
  const list = normalizeFlags(flags);
  // System flags first, in RFC 3501 order, then keywords as written.
  const system = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'].filter((f) => list.includes(f));
  const ordered = [...system, ...list.filter((f) => !f.startsWith('\\'))];
  return { flags: ordered, flagsLower: ordered.map((f) => f.toLowerCase()) };
}

/**
 * Replies join the conversation of a message of the same user they refer to; anything else
 * starts one named after its own EMAILID (as Gmail's X-GM-THRID is its first message's X-GM-MSGID).
 */
export async function resolveThread(c: Collections, session: ClientSession, userId: string, refs: string[], emailId: string): Promise<string> {
  if (refs.length === 0) return emailId;
  const found = await c.messages.findOne({ userId, messageIdHeader: { $in: refs } }, { session });
  return found?.threadId ?? emailId;
}

/** One message document (a copy of content `contentId`) in `mailbox`, journaled as `exists`; storage accounted. */
export async function insertMessage(
  ctx: MongoContext,
  session: ClientSession,
  fx: TxEffects,
  mailbox: MailboxDoc,
  msg: PreparedMessage,
  ids: { contentId: string; emailId: string; threadId: string },
  opts: { flags: readonly string[]; internalDate: Date; savedAt: Date },
): Promise<AppendResult> {
  const { c } = ctx;
  const { firstUid: uid, modseq, uidValidity } = await allocateUids(c, session, mailbox._id, 1);
  const k = msg.sortKeys;
  const doc: MessageDoc = {
    _id: newId(),
    userId: mailbox.userId,
    mailboxId: mailbox._id,
    uid,
    modseq,
    ...flagFields(opts.flags),
    internalDate: opts.internalDate,
    savedAt: opts.savedAt,
    size: msg.size,
    contentId: ids.contentId,
    emailId: ids.emailId,
    threadId: ids.threadId,
    messageIdHeader: msg.header.messageId ? cap(msg.header.messageId, 998) : null,
    refs: referencedIds(msg),
    hasAttachments: msg.attachments.length > 0,
    sortKeys: {
      baseSubject: cap(k.baseSubject, 1000),
      subjectIsReply: Boolean(k.subjectIsReply),
      from: cap(k.from, 320),
      to: cap(k.to, 320),
      cc: cap(k.cc, 320),
      displayFrom: cap(k.displayFrom, 320),
      displayTo: cap(k.displayTo, 320),
      sentAt: Number.isFinite(k.sentAt) ? k.sentAt : null,
      sentDay: Number.isSafeInteger(k.sentDay) ? k.sentDay : null,
    },
  };
  await c.messages.insertOne(doc, { session });
  await c.users.updateOne({ _id: mailbox.userId }, { $inc: { storageUsed: msg.size } }, { session });
  await recordChange(c, session, fx, { type: 'exists', userId: mailbox.userId, mailboxId: mailbox._id, uid, modseq, messageId: doc._id });
  return { userId: mailbox.userId, mailboxId: mailbox._id, messageId: doc._id, uid, uidValidity, modseq };
}

/**
 * Deletes the messages matching `filter` with storage accounting; their content goes once no
 * copy refers to it (blobs reaching 0 are freed after commit). Journal entries are the caller's.
 */
export async function deleteMessages(ctx: MongoContext, session: ClientSession, fx: TxEffects, filter: Filter<MessageDoc>): Promise<MessageDoc[]> {
  const { c } = ctx;
  const docs = await c.messages.find(filter, { session }).sort({ uid: 1 }).toArray();
  if (docs.length === 0) return docs;
  const byUser = new Map<string, number>();
  for (const d of docs) byUser.set(d.userId, (byUser.get(d.userId) ?? 0) + d.size);
  await c.messages.deleteMany({ _id: { $in: docs.map((d) => d._id) } }, { session });
  for (const [userId, total] of byUser) {
    const user = await c.users.findOne({ _id: userId }, { session });
    if (user) await c.users.updateOne({ _id: userId }, { $set: { storageUsed: Math.max(0, user.storageUsed - total) } }, { session });
  }
  await releaseContents(c, session, fx, docs.map((d) => d.contentId));
  return docs;
}

/**
 * Moves documents by re-labelling them (new mailbox, UID, MODSEQ and SAVEDATE, RFC 8514):
 * content and blob references stay put. Expunge in the source and exists in the target are
 * journaled in the same transaction (RFC 6851: MOVE is atomic).
 */
export async function relabel(ctx: MongoContext, session: ClientSession, fx: TxEffects, source: MailboxDoc, target: MailboxDoc, docs: MessageDoc[]): Promise<CopyResult> {
  const { c } = ctx;
  const { firstUid, modseq: targetModseq, uidValidity } = await allocateUids(c, session, target._id, docs.length);
  const sourceModseq = await nextModseq(c, session, source._id);
  const savedAt = new Date(ctx.now());
  const destinationUids = docs.map((_, i) => firstUid + i);
  await c.messages.bulkWrite(
    docs.map((d, i) => ({ updateOne: { filter: { _id: d._id }, update: { $set: { mailboxId: target._id, uid: destinationUids[i]!, modseq: targetModseq, savedAt } } } })),
    { session, ordered: true },
  );
  await recordChanges(c, session, fx, [
    ...docs.map((d) => ({ type: 'expunge' as const, userId: source.userId, mailboxId: source._id, uid: d.uid, modseq: sourceModseq })),
    ...docs.map((d, i) => ({ type: 'exists' as const, userId: target.userId, mailboxId: target._id, uid: destinationUids[i]!, modseq: targetModseq, messageId: d._id })),
  ]);
  return { uidValidity, sourceUids: docs.map((d) => d.uid), destinationUids };
}

/** Every message of `source` into `target` (RENAME INBOX, RFC 3501 6.3.5). */
export async function moveAllMessages(ctx: MongoContext, session: ClientSession, fx: TxEffects, source: MailboxDoc, target: MailboxDoc): Promise<void> {
  const docs = await ctx.c.messages.find({ mailboxId: source._id }, { session }).sort({ uid: 1 }).toArray();
  if (docs.length > 0) await relabel(ctx, session, fx, source, target, docs);
}
