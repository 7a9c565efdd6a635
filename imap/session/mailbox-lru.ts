/**
 * The bound shared by THREAD's and FETCH FLAGS' per-mailbox memories: entries in a Map kept in
 * recency order (a use moves an entry to the end), counted in messages.
 */

/** Messages held over all entries. */
export function heldMessages<E>(entries: ReadonlyMap<string, E>, count: (e: E) => number): number {
  let n = 0;
  for (const e of entries.values()) n += count(e);
  return n;
}

/**
 * Drops least recently used entries until at most `max` messages are held. `keep` (the entry
 * just used) and entries `inUse` go only when nothing else is left to drop; `keep` goes last,
 * if it alone is over.
 */
export function evictLeastRecent<E>(entries: Map<string, E>, keep: string, max: number, count: (e: E) => number, inUse: (e: E) => boolean = () => false): void {
  let total = heldMessages(entries, count);
  for (const [id, e] of entries) {
    if (total <= max) return;
    if (id === keep || inUse(e)) continue;
    total -= count(e);
    entries.delete(id);
  }
  if (total > max) entries.delete(keep);
}
