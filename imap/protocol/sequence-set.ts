/**
 * sequence-set (RFC 3501 9 / RFC 9051 9) and the SEARCHRES marker `$` (RFC 5182). Parsed in one
 * pass; ranges are normalised (sorted, merged) once when resolved, so 40,000 items cost
 * O(n log n) at worst, never quadratic.
 */
import type { Cursor } from './cursor.js';

/** `*` (the largest number in use) is kept as Infinity until resolved against a mailbox. */
export const STAR = Number.POSITIVE_INFINITY;

export type SequenceSet = { saved: false; ranges: Array<[number, number]> } | { saved: true };

function seqNumber(c: Cursor): number {
  if (c.tryChar('*')) return STAR;
  return c.nzNumber();
}

export function parseSequenceSet(c: Cursor): SequenceSet {
  if (c.tryChar('$')) return { saved: true };
  const ranges: Array<[number, number]> = [];
  for (;;) {
    c.count();
    const a = seqNumber(c);
    const b = c.tryChar(':') ? seqNumber(c) : a;
    ranges.push(a <= b ? [a, b] : [b, a]);
    if (!c.tryChar(',')) break;
  }
  return { saved: false, ranges };
}

/**
 * Sorted, merged, non-overlapping ranges with `*` replaced by `max` (RFC 3501: `*` is the largest
 * number in use; a range whose both ends pass `max` still includes `max`, e.g. `UID 9999:*`).
 * Ranges entirely above max are dropped, as are empty ones when max is 0.
 */
export function normalizeRanges(ranges: Array<[number, number]>, max: number): Array<[number, number]> {
  if (max <= 0) return [];
  const out: Array<[number, number]> = [];
  for (const [a0, b0] of ranges) {
    let a = a0 === STAR ? max : a0;
    let b = b0 === STAR ? max : b0;
    if (a > b) [a, b] = [b, a];
    if (a > max) continue;
    out.push([a, Math.min(b, max)]);
  }
  out.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const r of out) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1] + 1) {
      if (r[1] > last[1]) last[1] = r[1];
    } else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Sequence numbers 1..max named by the ranges, ascending, each once. */
export function expandSequenceNumbers(ranges: Array<[number, number]>, max: number): number[] {
  const out: number[] = [];
  for (const [a, b] of normalizeRanges(ranges, max)) for (let i = a; i <= b; i++) out.push(i);
  return out;
}

/**
 * Numbers as a compact sequence-set, `1:3,7,9:10`, runs compressed and order kept (COPYUID's
 * two sets must line up pair by pair; VANISHED and ESEARCH ALL pass them sorted).
 */
export function formatSequenceSet(sorted: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const start = sorted[i]!;
    let end = start;
    while (i + 1 < sorted.length && sorted[i + 1] === end + 1) end = sorted[++i]!;
    parts.push(start === end ? String(start) : `${start}:${end}`);
    i++;
  }
  return parts.join(',');
}

/** Whether `n` is in sorted, merged ranges (normalizeRanges' output): a binary search. */
export function inRanges(ranges: ReadonlyArray<readonly [number, number]>, n: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const [a, b] = ranges[mid]!;
    if (n < a) hi = mid - 1;
    else if (n > b) lo = mid + 1;
    else return true;
  }
  return false;
}
