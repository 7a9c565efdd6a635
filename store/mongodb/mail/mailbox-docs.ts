import type { ClientSession } from 'mongodb';
import { StoreError, type Id, type Mailbox, type SpecialUse } from '../../../domain/index.js';
import type { Collections } from '../collections.js';
import type { MailboxDoc } from '../documents.js';
import { newId, type TxEffects } from '../context.js';
import { recordChange } from './journal.js';
import { isSubscribed, setSubscription } from './subscriptions.js';

/**
 * RFC 3501 2.3.1.1: UIDVALIDITY must change whenever a name is re-used for a new mailbox. A
 * per-user counter that starts at the clock's seconds and only goes up gives that even for
 * delete + create within the same second. Read-then-conditional-set inside the transaction:
 * a concurrent bump is a write conflict, and the driver retries the transaction.
 */
export async function nextUidValidities(c: Collections, session: ClientSession, userId: string, count: number, nowMs: number): Promise<number[]> {
  const user = await c.users.findOne({ _id: userId }, { session });
  if (!user) throw new Error(`user ${userId} vanished inside a transaction`);
  const first = Math.max(user.lastUidValidity + 1, Math.floor(nowMs / 1000));
  const values = Array.from({ length: count }, (_, i) => first + i);
  await c.users.updateOne({ _id: userId, lastUidValidity: user.lastUidValidity }, { $set: { lastUidValidity: values[values.length - 1]! } }, { session });
  return values;
}

export function mailboxDoc(userId: string, path: string, uidValidity: number, opts: { specialUse?: SpecialUse | null; subscribed?: boolean; nowMs: number }): MailboxDoc {
  return {
    _id: newId(),
    userId,
    path,
    specialUse: opts.specialUse ?? null,
    uidValidity,
    uidNext: 1,
    highestModseq: 1,
    subscribed: opts.subscribed === true,
    recentUid: 0,
    urlAuthGeneration: 1,
    createdAt: new Date(opts.nowMs),
  };
}

/**
 * Inserts a mailbox and journals its creation (modseq 1). `subscribed: true` adds the
 * subscription; otherwise an existing subscription of the name still counts.
 */
export async function insertMailbox(c: Collections, session: ClientSession, fx: TxEffects, doc: MailboxDoc): Promise<MailboxDoc> {
  if (doc.subscribed) await setSubscription(c, session, doc.userId, doc.path, true);
  else doc.subscribed = await isSubscribed(c, session, doc.userId, doc.path);
  await c.mailboxes.insertOne(doc, { session });
  await recordChange(c, session, fx, { type: 'mailbox', userId: doc.userId, mailboxId: doc._id, action: 'create', path: doc.path, modseq: 1 });
  return doc;
}

export function toMailbox(d: MailboxDoc): Mailbox {
  return {
    id: d._id,
    userId: d.userId,
    path: d.path,
    specialUse: (d.specialUse as SpecialUse | null) ?? null,
    uidValidity: d.uidValidity,
    uidNext: d.uidNext,
    highestModseq: d.highestModseq,
    subscribed: d.subscribed,
    createdAt: d.createdAt,
  };
}

/** The mailbox by id, outside any transaction; StoreError 'not_found' when there is none. */
export async function requireMailbox(c: Collections, mailboxId: Id): Promise<MailboxDoc> {
  const mb = await c.mailboxes.findOne({ _id: String(mailboxId) });
  if (!mb) throw new StoreError('not_found', 'mailbox not found');
  return mb;
}
