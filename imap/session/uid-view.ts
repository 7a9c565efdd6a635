/**
 * The client's sequence-number view of the selected mailbox (RFC 3501 2.3.1.2): its UIDs in
 * ascending order, sequence number = position. Kept as runs of consecutive UIDs, so a 50,000-
 * message mailbox with a few expunged holes costs a few numbers per session, not 50,000 (10,000
 * IDLE sessions must stay small). seq -> uid and uid -> seq are binary searches over the runs;
 * appending is O(1); removing k UIDs is one pass over the runs.
 */
import { normalizeRanges, type SequenceSet } from '../protocol/sequence-set.js';

export class UidView {
  /** Run i holds the UIDs starts[i] .. starts[i] + lengths[i] - 1, at sequence numbers offsets[i] + 1 ... */
  private starts: number[] = [];
  private lengths: number[] = [];
  private offsets: number[] = [];
  private count = 0;

  constructor(uids: Iterable<number> = []) {
    this.append(uids);
  }

  get size(): number {
    return this.count;
  }

  get maxUid(): number {
    const r = this.starts.length - 1;
    return r < 0 ? 0 : this.starts[r]! + this.lengths[r]! - 1;
  }

  /** The UIDs, ascending (for tests and small views). */
  get uids(): number[] {
    return [...this];
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let r = 0; r < this.starts.length; r++) {
      const s = this.starts[r]!;
      for (let i = 0; i < this.lengths[r]!; i++) yield s + i;
    }
  }

  /** The run holding sequence index `idx` (0-based). */
  private runAtIndex(idx: number): number {
    let lo = 0;
    let hi = this.offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.offsets[mid]! <= idx) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The last run starting at or below `uid`, or -1. */
  private runAtUid(uid: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= uid) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  uidAt(seq: number): number {
    if (seq < 1 || seq > this.count) return 0;
    const r = this.runAtIndex(seq - 1);
    return this.starts[r]! + (seq - 1 - this.offsets[r]!);
  }

  /** Sequence number of `uid`, 0 when it is not in the view. */
  seqOf(uid: number): number {
    const r = this.runAtUid(uid);
    if (r < 0 || uid >= this.starts[r]! + this.lengths[r]!) return 0;
    return this.offsets[r]! + (uid - this.starts[r]!) + 1;
  }

  has(uid: number): boolean {
    return this.seqOf(uid) > 0;
  }

  /** UIDs named by sequence-number ranges, ascending. */
  bySeq(ranges: Array<[number, number]>): number[] {
    const out: number[] = [];
    for (const [a, b] of normalizeRanges(ranges, this.count)) {
      let r = this.runAtIndex(a - 1);
      let idx = a - 1;
      while (idx < b && r < this.starts.length) {
        const end = Math.min(b, this.offsets[r]! + this.lengths[r]!);
        for (; idx < end; idx++) out.push(this.starts[r]! + (idx - this.offsets[r]!));
        r++;
      }
    }
    return out;
  }

  /**
   * UIDs in the view named by UID ranges, ascending. `*` is the largest UID in the view, so
   * `N:*` always includes the last message even when N is above it (RFC 3501 6.4.8).
   */
  byUid(ranges: Array<[number, number]>): number[] {
    const out: number[] = [];
    for (const [a, b] of normalizeRanges(ranges, this.maxUid)) {
      let r = Math.max(0, this.runAtUid(a));
      for (; r < this.starts.length && this.starts[r]! <= b; r++) {
        const from = Math.max(a, this.starts[r]!);
        const to = Math.min(b, this.starts[r]! + this.lengths[r]! - 1);
        for (let u = from; u <= to; u++) out.push(u);
      }
    }
    return out;
  }

  resolve(set: Extract<SequenceSet, { saved: false }>, byUid: boolean): number[] {
    return byUid ? this.byUid(set.ranges) : this.bySeq(set.ranges);
  }

  /** Adds UIDs above the current largest, ascending. */
  append(uids: Iterable<number>): void {
    for (const u of uids) {
      const r = this.starts.length - 1;
      if (r >= 0 && u === this.starts[r]! + this.lengths[r]!) {
        this.lengths[r]!++;
      } else {
        this.starts.push(u);
        this.lengths.push(1);
        this.offsets.push(this.count);
      }
      this.count++;
    }
  }

  /** Drops `gone` from the view in one pass over the runs. */
  remove(gone: Set<number>): void {
    if (!gone.size) return;
    const cut = [...gone].sort((a, b) => a - b);
    const starts: number[] = [];
    const lengths: number[] = [];
    const offsets: number[] = [];
    let count = 0;
    let k = 0;
    const push = (s: number, len: number): void => {
      if (len <= 0) return;
      starts.push(s);
      lengths.push(len);
      offsets.push(count);
      count += len;
    };
    for (let r = 0; r < this.starts.length; r++) {
      let s = this.starts[r]!;
      const end = s + this.lengths[r]!; // exclusive
      while (k < cut.length && cut[k]! < s) k++;
      while (k < cut.length && cut[k]! < end) {
        push(s, cut[k]! - s);
        s = cut[k]! + 1;
        k++;
      }
      push(s, end - s);
    }
    this.starts = starts;
    this.lengths = lengths;
    this.offsets = offsets;
    this.count = count;
  }
}
