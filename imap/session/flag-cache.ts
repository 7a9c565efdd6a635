/**
 * FETCH FLAGS' memory of each mailbox's flags, for the sessions of this process: what clients
 * ask of a whole mailbox on every sync (`FETCH 1:* (FLAGS)`) is answered from here after the
 * first time, as Dovecot answers from its index. Kept fresh with one CHANGEDSINCE read per use
 * (RFC 7162 3.1: every flag change gives the message a MODSEQ above all before it, and so does
 * every new message; both stores assign MODSEQ in commit order per mailbox, SQLite with its one
 * writer, MongoDB through the mailbox document each write transaction updates). A message
 * expunged since stays until the entry is rebuilt, and is only asked for by a session that has
 * not been told yet (it still has a sequence number there, RFC 3501 7.4.1).
 * Bounded by a total number of messages; the least recently used mailbox goes first.
 */
import type { MailStore } from '../../domain/index.js';
import { evictLeastRecent, heldMessages } from './mailbox-lru.js';

export interface FlagSnapshot {
  /** Ascending. */
  readonly uids: readonly number[];
  /** flags[i] belongs to uids[i]; arrays are shared between messages, never modified. */
  readonly flags: ReadonlyArray<readonly string[]>;
}

interface Entry extends FlagSnapshot {
  uids: number[];
  flags: Array<readonly string[]>;
  uidValidity: number;
  modseq: number;
  /** The refresh under way, which every other reader of the entry waits for. */
  busy: Promise<void> | null;
}

const ALL = { start: 1, end: Infinity } as const;

export class FlagCache {
  /** Map order is recency order. */
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxMessages: number) {}

  /** Messages remembered, over all mailboxes. */
  get size(): number {
    return heldMessages(this.entries, messagesOf);
  }

  /**
   * Every message's flags as of now (and expunged ones not yet forgotten), a copy the caller
   * may keep across awaits; null when the mailbox alone is over the bound (the caller reads the
   * store). `live` is how many messages the asking session sees: with far more remembered than
   * that, the entry is read afresh.
   */
  async read(mail: MailStore, mailboxId: string, uidValidity: number, live: number): Promise<FlagSnapshot | null> {
    if (live > this.maxMessages) return null;
    let e = this.entries.get(mailboxId);
    while (e?.busy) {
      await e.busy;
      e = this.entries.get(mailboxId);
    }
    if (e && (e.uidValidity !== uidValidity || e.uids.length > 2 * live + 1000)) e = undefined;
    e ??= { uids: [], flags: [], uidValidity, modseq: 0, busy: null };
    this.entries.delete(mailboxId);
    this.entries.set(mailboxId, e);
    const entry = e;
    entry.busy = this.refresh(mail, mailboxId, entry).finally(() => (entry.busy = null));
    try {
      await entry.busy;
    } catch (err) {
      if (this.entries.get(mailboxId) === entry) this.entries.delete(mailboxId);
      throw err;
    }
    const snapshot = { uids: entry.uids.slice(), flags: entry.flags.slice() };
    evictLeastRecent(this.entries, mailboxId, this.maxMessages, messagesOf, (e) => e.busy !== null);
    return snapshot;
  }

  private async refresh(mail: MailStore, mailboxId: string, e: Entry): Promise<void> {
    const first = e.modseq === 0;
    for await (const page of mail.listFlags(mailboxId, ALL, first ? {} : { changedSince: e.modseq })) {
      for (const row of page) {
        if (row.modseq !== undefined && row.modseq > e.modseq) e.modseq = row.modseq;
        const n = e.uids.length;
        if (n === 0 || row.uid > e.uids[n - 1]!) {
          e.uids.push(row.uid);
          e.flags.push(row.flags);
          continue;
        }
        const at = lowerBound(e.uids, row.uid);
        if (e.uids[at] === row.uid) e.flags[at] = row.flags;
        else {
          e.uids.splice(at, 0, row.uid);
          e.flags.splice(at, 0, row.flags);
        }
      }
    }
  }
}

const messagesOf = (e: Entry): number => e.uids.length;

/** The first index whose uid is >= `uid`. */
function lowerBound(uids: readonly number[], uid: number): number {
  let lo = 0;
  let hi = uids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (uids[mid]! < uid) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
