/**
 * MailStore's narrow reads (domain/narrow-reads.ts) on MongoDB: projections of the message
 * documents (and of the header summary for THREAD); SORT orders in memory by code point, as
 * SQLite's BINARY collation does, so both backends give the same order.
 */
import { StoreError, type Id, type MailStore, type MessageFlagState, type MessageSortCriterion, type MessageThreadFields, type SortKeys, type UidSelector } from '../../../domain/index.js';
import type { MongoContext } from '../context.js';
import type { MailboxDoc } from '../documents.js';
import { uidFilter } from './uid-filter.js';

type NarrowReads = Pick<MailStore, 'listFlags' | 'sortUids' | 'listThreadFields'>;

const FLAG_BATCH = 5000;
const CONTENT_BATCH = 1000;

interface SortRow {
  uid: number;
  internalDate: Date;
  size: number;
  sortKeys: SortKeys;
}

/** UTF-16 units mapped so that comparing them orders by code point: surrogates (astral code points) above U+E000..U+FFFF. */
function unit(u: number): number {
  return u < 0xd800 ? u : u >= 0xe000 ? u - 0x800 : u + 0x2000;
}

export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unit(x) - unit(y);
  }
  return a.length - b.length;
}

function comparator(c: MessageSortCriterion): (a: SortRow, b: SortRow) => number {
  const num = (f: (r: SortRow) => number) => (a: SortRow, b: SortRow) => f(a) - f(b);
  const str = (f: (r: SortRow) => string) => (a: SortRow, b: SortRow) => compareCodePoints(f(a), f(b));
  switch (c.key) {
    case 'arrival':
      return num((r) => r.internalDate.getTime());
    case 'date':
      return num((r) => r.sortKeys.sentAt ?? r.internalDate.getTime());
    case 'size':
      return num((r) => r.size);
    case 'subject':
      return str((r) => r.sortKeys.baseSubject ?? '');
    case 'from':
      return str((r) => r.sortKeys.from ?? '');
    case 'to':
      return str((r) => r.sortKeys.to ?? '');
    case 'cc':
      return str((r) => r.sortKeys.cc ?? '');
    case 'displayFrom':
      return str((r) => r.sortKeys.displayFrom ?? '');
    case 'displayTo':
      return str((r) => r.sortKeys.displayTo ?? '');
    default:
      throw new StoreError('invalid', 'unknown sort key');
  }
}

export function createNarrowReadMethods(ctx: MongoContext): NarrowReads {
  const { c } = ctx;

  async function requireMailbox(mailboxId: Id): Promise<MailboxDoc> {
    const mb = await c.mailboxes.findOne({ _id: String(mailboxId) });
    if (!mb) throw new StoreError('not_found', 'mailbox not found');
    return mb;
  }

  /** The projected messages of a uid selector, in uid order. */
  async function scoped<T>(mailboxId: Id, uids: UidSelector, projection: Record<string, 1>): Promise<Array<T & { uid: number }>> {
    const filter = uidFilter(uids);
    const mb = await requireMailbox(mailboxId);
    return (await c.messages
      .find({ mailboxId: mb._id, ...filter }, { projection: { _id: 0, uid: 1, ...projection } })
      .sort({ uid: 1 })
      .toArray()) as unknown as Array<T & { uid: number }>;
  }

  return {
    listFlags(mailboxId: Id, uids: UidSelector, opts: { changedSince?: number } = {}): AsyncIterable<MessageFlagState[]> {
      const filter = uidFilter(uids);
      return {
        async *[Symbol.asyncIterator]() {
          const mb = await requireMailbox(mailboxId);
          let after = 0;
          for (;;) {
            const docs = await c.messages
              .find(
                { mailboxId: mb._id, $and: [filter, { uid: { $gt: after } }], ...(opts.changedSince !== undefined ? { modseq: { $gt: opts.changedSince } } : {}) },
                { projection: { _id: 0, uid: 1, modseq: 1, flags: 1 } },
              )
              .sort({ uid: 1 })
              .limit(FLAG_BATCH)
              .toArray();
            if (!docs.length) return;
            yield docs.map((d) => ({ uid: d.uid, modseq: d.modseq, flags: d.flags }));
            if (docs.length < FLAG_BATCH) return;
            after = docs[docs.length - 1]!.uid;
          }
        },
      };
    },

    async sortUids(mailboxId, uids, criteria) {
      const comparators = criteria.map((k) => {
        const f = comparator(k);
        return k.reverse ? (a: SortRow, b: SortRow) => f(b, a) : f;
      });
      const rows = await scoped<SortRow>(mailboxId, uids, { internalDate: 1, size: 1, sortKeys: 1 });
      // RFC 5256 3: messages equal on every key stay in UID (sequence) order.
      rows.sort((a, b) => {
        for (const f of comparators) {
          const d = f(a, b);
          if (d) return d;
        }
        return a.uid - b.uid;
      });
      return rows.map((r) => r.uid);
    },

    async listThreadFields(mailboxId, uids) {
      const rows = await scoped<SortRow & { contentId: string }>(mailboxId, uids, { internalDate: 1, sortKeys: 1, contentId: 1 });
      const headers = new Map<string, { messageId?: string | null; inReplyTo?: string | null; references?: string[] }>();
      const ids = [...new Set(rows.map((r) => r.contentId))];
      for (let i = 0; i < ids.length; i += CONTENT_BATCH) {
        const docs = await c.contents
          .find({ _id: { $in: ids.slice(i, i + CONTENT_BATCH) } }, { projection: { 'header.messageId': 1, 'header.inReplyTo': 1, 'header.references': 1 } })
          .toArray();
        for (const d of docs) headers.set(d._id, (d.header ?? {}) as { messageId?: string | null; inReplyTo?: string | null; references?: string[] });
      }
      return rows.map((r): MessageThreadFields => {
        const h = headers.get(r.contentId);
        return {
          uid: r.uid,
          messageId: h?.messageId ?? null,
          inReplyTo: h?.inReplyTo ?? null,
          references: h?.references ?? [],
          baseSubject: r.sortKeys.baseSubject ?? '',
          subjectIsReply: r.sortKeys.subjectIsReply === true,
          date: r.sortKeys.sentAt ?? r.internalDate.getTime(),
        };
      });
    },
  };
}
