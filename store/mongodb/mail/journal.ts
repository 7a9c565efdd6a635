import type { ClientSession } from 'mongodb';
import type { ChangeEvent } from '../../../domain/index.js';
import type { Collections } from '../collections.js';
import type { JournalDoc } from '../documents.js';
import { newId, type TxEffects } from '../context.js';

/**
 * Appends the event to its mailbox journal inside the writing transaction and queues it for
 * publishing after the commit. Only a message's latest flags entry is kept (a catch-up needs no
 * more), and none once it is expunged: the journal grows with messages, not with every STORE.
 * Journal ids are ObjectIds, so (modseq, _id) orders entries of one modseq as written.
 */
export async function recordChange(c: Collections, session: ClientSession, fx: TxEffects, ev: ChangeEvent): Promise<void> {
  await recordChanges(c, session, fx, [ev]);
}

/** recordChange for many events in a few round trips (STORE, EXPUNGE, COPY and MOVE of many messages). */
export async function recordChanges(c: Collections, session: ClientSession, fx: TxEffects, events: ChangeEvent[]): Promise<void> {
  if (events.length === 0) return;
  const superseded = new Map<string, number[]>();
  for (const ev of events) {
    if (ev.type !== 'flags' && ev.type !== 'expunge') continue;
    const list = superseded.get(ev.mailboxId) ?? [];
    list.push(ev.uid);
    superseded.set(ev.mailboxId, list);
  }
  for (const [mailboxId, uids] of superseded) await c.journal.deleteMany({ mailboxId, uid: { $in: uids }, type: 'flags' }, { session });
  await c.journal.insertMany(events.map(journalDoc), { session });
  fx.events.push(...events);
}

function journalDoc(ev: ChangeEvent): JournalDoc {
  return {
    _id: newId(),
    mailboxId: ev.mailboxId,
    userId: ev.userId,
    modseq: ev.modseq,
    type: ev.type,
    uid: 'uid' in ev ? ev.uid : null,
    messageId: ev.type === 'exists' ? ev.messageId : null,
    flags: ev.type === 'flags' ? ev.flags : null,
    action: ev.type === 'mailbox' ? ev.action : null,
    path: ev.type === 'mailbox' ? ev.path : null,
  };
}

/** Bumps and returns the mailbox's HIGHESTMODSEQ (RFC 7162: strictly increasing per mailbox). */
export async function nextModseq(c: Collections, session: ClientSession, mailboxId: string): Promise<number> {
  const mb = await c.mailboxes.findOneAndUpdate({ _id: mailboxId }, { $inc: { highestModseq: 1 } }, { session, returnDocument: 'after' });
  if (!mb) throw new Error(`mailbox ${mailboxId} vanished inside a transaction`);
  return mb.highestModseq;
}

export async function readChanges(c: Collections, mailboxId: string, sinceModseq: number): Promise<ChangeEvent[]> {
  const docs = await c.journal.find({ mailboxId, modseq: { $gt: sinceModseq } }).sort({ modseq: 1, _id: 1 }).toArray();
  return docs.map((d): ChangeEvent => {
    const base = { userId: d.userId, mailboxId: d.mailboxId, modseq: d.modseq };
    switch (d.type) {
      case 'exists':
        return { ...base, type: 'exists', uid: d.uid!, messageId: d.messageId! };
      case 'expunge':
        return { ...base, type: 'expunge', uid: d.uid! };
      case 'flags':
        return { ...base, type: 'flags', uid: d.uid!, flags: d.flags ?? [] };
      default:
        return { ...base, type: 'mailbox', action: d.action as 'create' | 'rename' | 'delete', path: d.path ?? '' };
    }
  });
}
