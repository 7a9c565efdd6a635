import type { Filter } from 'mongodb';
import { StoreError, type SearchQuery } from '../../../../domain/index.js';
import { lookupSystemFlag } from '../../../flag-rules.js';
import { dayStartUtc } from '../../../search/query-tree.js';
import type { MessageDoc } from '../../documents.js';
import type { LeafMatch } from './text-leaf.js';

const MAX_UIDS = 1_000_000;
const DAY = 86_400_000;

const ALL: Filter<MessageDoc> = {};
const NONE: Filter<MessageDoc> = { _id: { $in: [] } };

export type ResolvedLeaves = Map<SearchQuery, LeafMatch>;

function dayFilter(q: Extract<SearchQuery, { type: 'date' }>): Filter<MessageDoc> {
  const op = q.op;
  if (op !== 'before' && op !== 'on' && op !== 'since') throw new StoreError('invalid', 'invalid date comparison');
  if (q.field === 'sent') {
    // The Date header's own calendar day, precomputed (SortKeys.sentDay): RFC 3501 SENTBEFORE etc.
    dayStartUtc(q.day);
    return { 'sortKeys.sentDay': op === 'before' ? { $lt: q.day } : op === 'since' ? { $gte: q.day } : q.day };
  }
  if (q.field !== 'internal' && q.field !== 'saved') throw new StoreError('invalid', 'invalid date field');
  const field = q.field === 'saved' ? 'savedAt' : 'internalDate';
  const start = dayStartUtc(q.day);
  if (op === 'before') return { [field]: { $lt: new Date(start) } };
  if (op === 'since') return { [field]: { $gte: new Date(start) } };
  return { [field]: { $gte: new Date(start), $lt: new Date(start + DAY) } };
}

const decimalId = (value: unknown) => (typeof value === 'string' && /^[1-9][0-9]{0,18}$/.test(value) ? value : null);

/** A SearchQuery tree as a filter on `messages` (text and header leaves already resolved to content ids). */
export function compileSearch(query: SearchQuery, resolved: ResolvedLeaves): Filter<MessageDoc> {
  const walk = (q: SearchQuery): Filter<MessageDoc> => {
    switch (q.type) {
      case 'all':
        return ALL;
      case 'and':
        return q.nodes.length === 0 ? ALL : { $and: q.nodes.map(walk) };
      case 'or':
        return q.nodes.length === 0 ? NONE : { $or: q.nodes.map(walk) };
      case 'not':
        return { $nor: [walk(q.node)] };
      case 'text':
      case 'header': {
        const m = resolved.get(q);
        if (!m) throw new StoreError('invalid', 'invalid search query');
        return m.all ? ALL : { contentId: { $in: m.contentIds } };
      }
      case 'flag': {
        const flag = String(q.flag ?? '');
        if (flag.startsWith('\\')) {
          const sys = lookupSystemFlag(flag);
          // \Recent is per session and never stored; imap/ answers it. Unknown system flags are never set.
          if (!sys) return q.present ? NONE : ALL;
          return { flagsLower: q.present ? sys.toLowerCase() : { $ne: sys.toLowerCase() } };
        }
        const kw = flag.slice(0, 200).toLowerCase();
        return { flagsLower: q.present ? kw : { $ne: kw } };
      }
      case 'uid': {
        const uids = Array.isArray(q.uids) ? q.uids.slice(0, MAX_UIDS).filter((u) => Number.isSafeInteger(u)) : [];
        return { uid: { $in: uids } };
      }
      case 'modseq':
        return { modseq: { $gte: Number(q.min) || 0 } };
      case 'size': {
        const v = Number(q.value);
        if (!Number.isFinite(v)) throw new StoreError('invalid', 'invalid size');
        return { size: q.op === 'larger' ? { $gt: v } : { $lt: v } };
      }
      case 'date':
        return dayFilter(q);
      case 'time': {
        const t = q.at instanceof Date ? q.at.getTime() : NaN;
        if (Number.isNaN(t)) throw new StoreError('invalid', 'invalid search time');
        return { internalDate: q.op === 'before' ? { $lt: new Date(t) } : { $gte: new Date(t) } };
      }
      case 'mailbox':
        return { mailboxId: String(q.mailboxId) };
      case 'hasAttachment':
        return { hasAttachments: true };
      case 'emailId': {
        const id = decimalId(q.value);
        return id === null ? NONE : { emailId: id };
      }
      case 'threadId': {
        const id = decimalId(q.value);
        return id === null ? NONE : { threadId: id };
      }
      default:
        throw new StoreError('invalid', 'unknown search operator');
    }
  };
  return walk(query);
}
