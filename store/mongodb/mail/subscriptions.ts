import type { ClientSession } from 'mongodb';
import type { Collections } from '../collections.js';

const subId = (userId: string, path: string) => `${userId}\0${path}`;

/**
 * Subscriptions are names, not mailboxes (RFC 3501 6.3.6, RFC 9051 6.3.7): one may outlive its
 * mailbox (LIST-EXTENDED \NonExistent, RFC 5258) or name one not created yet. The mailbox
 * document's `subscribed` mirrors the subscription of the same name.
 */
export async function setSubscription(c: Collections, session: ClientSession, userId: string, path: string, on: boolean): Promise<void> {
  const _id = subId(userId, path);
  if (on) {
    if (!(await c.subscriptions.findOne({ _id }, { session }))) await c.subscriptions.insertOne({ _id, userId, path }, { session });
  } else {
    await c.subscriptions.deleteOne({ _id }, { session });
  }
  await c.mailboxes.updateOne({ userId, path }, { $set: { subscribed: on } }, { session });
}

export async function isSubscribed(c: Collections, session: ClientSession, userId: string, path: string): Promise<boolean> {
  return (await c.subscriptions.findOne({ _id: subId(userId, path) }, { session })) !== null;
}

/** RENAME takes the subscription along with the name (as Dovecot does). */
export async function renameSubscription(c: Collections, session: ClientSession, userId: string, from: string, to: string): Promise<void> {
  const had = (await c.subscriptions.deleteOne({ _id: subId(userId, from) }, { session })).deletedCount > 0;
  if (had) await setSubscription(c, session, userId, to, true);
  else await c.mailboxes.updateOne({ userId, path: to }, { $set: { subscribed: await isSubscribed(c, session, userId, to) } }, { session });
}
