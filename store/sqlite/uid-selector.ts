import { StoreError } from '../../domain/index.js';
import type { UidSelector } from '../../domain/index.js';

const MAX_UID = 0xffffffff; // RFC 3501: uid is a 32-bit nz-number

/** SQL condition on `<alias>uid` for a selector; a list goes as one JSON parameter, however long. */
export function uidCondition(sel: UidSelector, alias = ''): { sql: string; params: unknown[] } {
  if (Array.isArray(sel)) {
    const uids = sel.filter((u) => Number.isInteger(u) && u > 0 && u <= MAX_UID);
    return { sql: `${alias}uid IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(uids)] };
  }
  if (!sel || typeof sel !== 'object') throw new StoreError('invalid', 'invalid uid set');
  const start = Number(sel.start);
  const end = sel.end === Infinity ? MAX_UID : Number(sel.end);
  if (Number.isNaN(start) || Number.isNaN(end)) throw new StoreError('invalid', 'invalid uid range');
  // RFC 3501 9: a range n:m equals m:n.
  const lo = Math.max(1, Math.min(start, end));
  const hi = Math.min(MAX_UID, Math.max(start, end));
  return { sql: `${alias}uid BETWEEN ? AND ?`, params: [lo, hi] };
}
