import { StoreError, type UidSelector } from '../../../domain/index.js';

const MAX_UID = 0xffffffff; // RFC 3501: uid is a 32-bit nz-number

/** A filter on `uid` for a selector; RFC 3501 9: a range n:m equals m:n. */
export function uidFilter(sel: UidSelector): { uid: { $in: number[] } | { $gte: number; $lte: number } } {
  if (Array.isArray(sel)) return { uid: { $in: sel.filter((u) => Number.isInteger(u) && u > 0 && u <= MAX_UID) } };
  if (!sel || typeof sel !== 'object') throw new StoreError('invalid', 'invalid uid set');
  const start = Number(sel.start);
  const end = sel.end === Infinity ? MAX_UID : Number(sel.end);
  if (Number.isNaN(start) || Number.isNaN(end)) throw new StoreError('invalid', 'invalid uid range');
  return { uid: { $gte: Math.max(1, Math.min(start, end)), $lte: Math.min(MAX_UID, Math.max(start, end)) } };
}
