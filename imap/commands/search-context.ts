/**
 * CONTEXT=SEARCH and CONTEXT=SORT updates (RFC 5267 4): a SEARCH or SORT with RETURN (UPDATE)
 * stays live; when messages start or stop matching, the session sends ESEARCH ADDTO /
 * REMOVEFROM. The result is re-evaluated after each change (one indexed search); messages
 * expunged but not yet announced stay in it until their EXPUNGE goes out.
 */
import { formatSequenceSet } from '../protocol/sequence-set.js';
import type { MailboxWatcher, SelectedMailbox } from '../session/selected-mailbox.js';
import type { Session } from '../session/session.js';

/** Live contexts per mailbox; a new one beyond this replaces the oldest. */
const MAX_CONTEXTS = 16;

function line(tag: string, uid: boolean, what: 'ADDTO' | 'REMOVEFROM', pairs: string): string {
  return `* ESEARCH (TAG "${tag.replace(/["\\]/g, '\\$&')}")${uid ? ' UID' : ''} ${what} (${pairs})\r\n`;
}

class SearchContext implements MailboxWatcher {
  constructor(
    private readonly sel: SelectedMailbox,
    private readonly tag: string,
    private readonly uid: boolean,
    /** Sorted (SORT) contexts give positions; SEARCH ones answer position 0. */
    private readonly sorted: boolean,
    private results: number[],
    private readonly evaluate: () => Promise<number[]>,
  ) {}

  private numbers(uids: number[]): number[] {
    return this.uid ? uids : uids.map((u) => this.sel.view.seqOf(u));
  }

  private pairs(uids: number[], positions: number[]): string {
    if (!this.sorted) return `0 ${formatSequenceSet(this.numbers(uids).sort((a, b) => a - b))}`;
    const nums = this.numbers(uids);
    return nums.map((n, i) => `${positions[i]} ${n}`).join(' ');
  }

  expunging(expunged: ReadonlyArray<{ uid: number; seq: number }>): string[] {
    const gone = new Map(expunged.map((e) => [e.uid, e.seq]));
    const removed: number[] = [];
    const positions: number[] = [];
    this.results.forEach((u, i) => {
      if (gone.has(u)) {
        removed.push(u);
        positions.push(i + 1);
      }
    });
    if (!removed.length) return [];
    this.results = this.results.filter((u) => !gone.has(u));
    const nums = this.uid ? removed : removed.map((u) => gone.get(u)!);
    const pairs = this.sorted ? nums.map((n, i) => `${positions[i]} ${n}`).join(' ') : `0 ${formatSequenceSet([...nums].sort((a, b) => a - b))}`;
    return [line(this.tag, this.uid, 'REMOVEFROM', pairs)];
  }

  async changed(): Promise<string[]> {
    const fresh = await this.evaluate();
    const pending = this.results.filter((u) => this.sel.isExpungePending(u));
    const next = pending.length ? [...fresh, ...pending.filter((u) => !fresh.includes(u))] : fresh;
    if (!this.sorted) next.sort((a, b) => a - b);
    const before = new Set(this.results);
    const after = new Set(next);
    const removed = this.results.filter((u) => !after.has(u));
    const removedPos = this.results.map((u, i) => (after.has(u) ? 0 : i + 1)).filter((p) => p > 0);
    const added = next.filter((u) => !before.has(u));
    const addedPos = next.map((u, i) => (before.has(u) ? 0 : i + 1)).filter((p) => p > 0);
    this.results = next;
    const out: string[] = [];
    if (removed.length) out.push(line(this.tag, this.uid, 'REMOVEFROM', this.pairs(removed, removedPos)));
    if (added.length) out.push(line(this.tag, this.uid, 'ADDTO', this.pairs(added, addedPos)));
    return out;
  }
}

export function startContext(session: Session, tag: string, uid: boolean, sorted: boolean, results: number[], evaluate: () => Promise<number[]>): void {
  const sel = session.selected!;
  if (sel.watchers.size >= MAX_CONTEXTS) sel.watchers.delete(sel.watchers.keys().next().value!);
  sel.watchers.set(tag, new SearchContext(sel, tag, uid, sorted, [...results], evaluate));
}
