import { randomUUID } from 'node:crypto';
import { Binary, type ClientSession } from 'mongodb';
import type { ClaimedEntry, Clock, EnqueueInput, QueueEntry, QueueKind, QueueStore } from '../../domain/index.js';
import type { QueueEntryDoc, QueueMessageDoc } from './documents.js';
import { newId, runTransaction, type MongoContext } from './context.js';
import { recipientsByDomain } from '../queue-recipients.js';

/** Bytes kept inline in the message document; larger messages go in chunks (a document is at most 16 MiB). */
const INLINE_MAX = 8 * 1024 * 1024;
const CHUNK = 4 * 1024 * 1024;

function toEntry(e: QueueEntryDoc, m: QueueMessageDoc, now: number): QueueEntry {
  return {
    id: e._id,
    messageId: e.messageId,
    sender: m.sender,
    domain: e.domain,
    recipients: e.recipients,
    userId: m.userId,
    kind: m.kind as QueueKind,
    size: m.size,
    createdAt: m.createdAt,
    nextAttemptAt: e.nextAttemptAt,
    attempts: e.attempts,
    lastError: e.lastError,
    status: e.leaseUntil !== null && e.leaseUntil.getTime() > now ? 'sending' : 'queued',
  };
}

/**
 * QueueStore on MongoDB. Enqueue writes the bytes and every entry in one transaction. A claim is
 * a conditional update per entry (due, no live lease), so two workers on two nodes never hold
 * the same entry; complete/defer/fail match on the lease token.
 */
export function createMongoQueueStore(ctx: MongoContext, clock?: Clock): QueueStore {
  const { c } = ctx;
  const nowMs = (d?: Date) => (d ?? clock?.now() ?? new Date()).getTime();

  async function nextSeq(session?: ClientSession): Promise<number> {
    const doc = await c.counters.findOneAndUpdate({ _id: 'queueEntry' }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after', ...(session ? { session } : {}) });
    return doc!.value;
  }

  async function withMessages(entries: QueueEntryDoc[], now: number): Promise<QueueEntry[]> {
    const ids = [...new Set(entries.map((e) => e.messageId))];
    const messages = new Map((await c.queueMessages.find({ _id: { $in: ids } }).toArray()).map((m) => [m._id, m]));
    return entries.flatMap((e) => {
      const m = messages.get(e.messageId);
      return m ? [toEntry(e, m, now)] : [];
    });
  }

  /** Removes an entry (owned by `lease`, or any) and its message once no entry needs it. */
  async function removeEntry(id: string, lease: string | null): Promise<boolean> {
    return runTransaction(ctx, async (session) => {
      // findOne + deleteOne: jongodb refuses findOneAndDelete (its findAndModify sends `new` with `remove`).
      const filter = lease === null ? { _id: id } : { _id: id, lease };
      const entry = await c.queueEntries.findOne(filter, { session });
      if (!entry || (await c.queueEntries.deleteOne(filter, { session })).deletedCount === 0) return false;
      if ((await c.queueEntries.countDocuments({ messageId: entry.messageId }, { session, limit: 1 })) === 0) {
        await c.queueMessages.deleteOne({ _id: entry.messageId }, { session });
        await c.queueChunks.deleteMany({ messageId: entry.messageId }, { session });
      }
      return true;
    });
  }

  return {
    async enqueue(input: EnqueueInput) {
      const byDomain = recipientsByDomain(input.recipients);
      const now = nowMs();
      const due = new Date(input.notBefore ? input.notBefore.getTime() : now);
      const inline = input.raw.length <= INLINE_MAX;
      const message: QueueMessageDoc = {
        _id: newId(),
        sender: input.sender,
        userId: input.userId ?? null,
        kind: input.kind ?? 'mail',
        size: input.raw.length,
        raw: inline ? new Binary(input.raw) : null,
        chunks: inline ? 0 : Math.ceil(input.raw.length / CHUNK),
        createdAt: new Date(now),
      };
      const entries = await runTransaction(ctx, async (session) => {
        await c.queueMessages.insertOne(message, { session });
        for (let n = 0; n < message.chunks; n++) {
          await c.queueChunks.insertOne({ _id: `${message._id}:${n}`, messageId: message._id, n, data: new Binary(input.raw.subarray(n * CHUNK, (n + 1) * CHUNK)) }, { session });
        }
        const docs: QueueEntryDoc[] = [];
        for (const [domain, recipients] of byDomain) {
          const doc: QueueEntryDoc = { _id: newId(), messageId: message._id, domain, recipients, nextAttemptAt: due, attempts: 0, lastError: null, lease: null, leaseUntil: null, seq: await nextSeq(session) };
          await c.queueEntries.insertOne(doc, { session });
          docs.push(doc);
        }
        return docs;
      });
      return entries.map((e) => toEntry(e, message, now));
    },

    async claim(opts) {
      const now = nowMs(opts.now);
      const at = new Date(now);
      const leaseUntil = new Date(now + opts.leaseMs);
      const inFlight = new Map<string, number>();
      if (opts.maxPerDomain > 0) {
        // Leases held by workers on other nodes count too, so the cap is shared.
        for (const r of await c.queueEntries.aggregate<{ _id: string; n: number }>([{ $match: { leaseUntil: { $gt: at } } }, { $group: { _id: '$domain', n: { $sum: 1 } } }]).toArray()) {
          inFlight.set(r._id, r.n);
        }
        for (const [d, n] of Object.entries(opts.active ?? {})) inFlight.set(d, Math.max(inFlight.get(d) ?? 0, n));
      }
      const free = { $or: [{ leaseUntil: null }, { leaseUntil: { $lte: at } }] };
      // Look past a busy domain's backlog, but boundedly.
      const candidates = await c.queueEntries
        .find({ nextAttemptAt: { $lte: at }, ...free })
        .sort({ nextAttemptAt: 1, seq: 1 })
        .limit(Math.max(opts.limit * 20, 100))
        .toArray();
      const claimed: QueueEntryDoc[] = [];
      for (const e of candidates) {
        if (claimed.length >= opts.limit) break;
        if (opts.maxPerDomain > 0 && (inFlight.get(e.domain) ?? 0) >= opts.maxPerDomain) continue;
        const lease = randomUUID();
        // The filter repeats "free": another worker that took it in between wins, we skip it.
        const res = await c.queueEntries.updateOne({ _id: e._id, nextAttemptAt: { $lte: at }, ...free }, { $set: { lease, leaseUntil } });
        if (res.modifiedCount === 0) continue;
        inFlight.set(e.domain, (inFlight.get(e.domain) ?? 0) + 1);
        claimed.push({ ...e, lease, leaseUntil });
      }
      const entries = await withMessages(claimed, 0);
      return entries.map((entry, i): ClaimedEntry => ({ ...entry, status: 'sending', lease: claimed[i]!.lease!, leaseUntil }));
    },

    async readMessage(messageId) {
      const m = await c.queueMessages.findOne({ _id: messageId });
      if (!m) return null;
      if (m.raw) return Buffer.from(m.raw.buffer);
      const chunks = await c.queueChunks.find({ messageId }).sort({ n: 1 }).toArray();
      return Buffer.concat(chunks.map((ch) => Buffer.from(ch.data.buffer)));
    },

    complete: (id, lease) => removeEntry(id, lease),
    fail: (id, lease) => removeEntry(id, lease),

    async defer(id, lease, update) {
      if (update.recipients.length === 0) return removeEntry(id, lease);
      const res = await c.queueEntries.updateOne(
        { _id: id, lease },
        { $set: { recipients: update.recipients, nextAttemptAt: update.nextAttemptAt, lastError: update.error.slice(0, 1000), lease: null, leaseUntil: null }, $inc: { attempts: 1 } },
      );
      return res.modifiedCount > 0;
    },

    async get(id) {
      const e = await c.queueEntries.findOne({ _id: id });
      return e ? ((await withMessages([e], nowMs()))[0] ?? null) : null;
    },

    async list(opts = {}) {
      const limit = Math.min(Math.max(opts.limit ?? 100, 1), 10_000);
      const offset = Math.max(opts.offset ?? 0, 0);
      const entries = await c.queueEntries
        .find(opts.domain ? { domain: opts.domain.toLowerCase() } : {})
        .sort({ seq: 1 })
        .skip(offset)
        .limit(limit)
        .toArray();
      return withMessages(entries, nowMs());
    },

    async count() {
      return c.queueEntries.countDocuments({});
    },

    async flush(id, now) {
      const t = new Date(nowMs(now));
      if (id !== undefined) return (await c.queueEntries.updateOne({ _id: id }, { $set: { nextAttemptAt: t } })).matchedCount;
      return (await c.queueEntries.updateMany({ nextAttemptAt: { $gt: t } }, { $set: { nextAttemptAt: t } })).matchedCount;
    },

    delete: (id) => removeEntry(id, null),

    async nextDue() {
      // min over entries of max(nextAttemptAt, leaseUntil): a live lease makes an entry due at its expiry.
      const [unleased] = await c.queueEntries
        .find({ $or: [{ leaseUntil: null }, { $expr: { $lte: ['$leaseUntil', '$nextAttemptAt'] } }] })
        .sort({ nextAttemptAt: 1 })
        .limit(1)
        .toArray();
      const [leased] = await c.queueEntries
        .find({ $expr: { $gt: ['$leaseUntil', '$nextAttemptAt'] } })
        .sort({ leaseUntil: 1 })
        .limit(1)
        .toArray();
      const times = [unleased?.nextAttemptAt.getTime(), leased?.leaseUntil?.getTime()].filter((t): t is number => t !== undefined);
      return times.length === 0 ? null : new Date(Math.min(...times));
    },
  };
}
