/**
 * The selected mailbox as this session has told the client about it, and what it still has to
 * tell. Changes are read from the store's journal by MODSEQ (MailStore.getChanges) whenever the
 * Notifier says the mailbox changed; they wait here until the session is allowed to send them
 * (RFC 3501 7.4.1: no EXPUNGE while a FETCH, STORE or SEARCH by sequence number is answered).
 */
import type { MailStore, Mailbox } from '../../domain/index.js';
import { UidView } from './uid-view.js';

export interface FlagUpdate {
  uid: number;
  flags: string[];
  modseq: number;
}

/** What to announce now; the session formats it. */
export interface PendingUpdates {
  /** UIDs to announce expunged (ascending), with their sequence numbers before removal. */
  expunged: Array<{ uid: number; seq: number }>;
  /** New EXISTS count, when messages were added. */
  exists: number | null;
  flags: FlagUpdate[];
}

/**
 * Something that follows the selected mailbox's changes and answers them (CONTEXT=SEARCH and
 * CONTEXT=SORT updates, RFC 5267 4): lines to send before expunges are announced (sequence
 * numbers still valid), and after each change.
 */
export interface MailboxWatcher {
  expunging(expunged: ReadonlyArray<{ uid: number; seq: number }>): string[];
  changed(): Promise<string[]>;
}

export class SelectedMailbox {
  readonly id: string;
  path: string;
  readonly uidValidity: number;
  readonly readOnly: boolean;
  readonly view: UidView;
  /** Journal position: every change up to here is reflected in the view or waiting in `pending*`. */
  highestModseq: number;
  /** Keywords announced in the last `* FLAGS` (RFC 3501 7.2.6). */
  readonly keywords: Set<string>;
  /** RFC 5182 SEARCHRES: UIDs of the last SEARCH ... RETURN (SAVE). */
  saved: number[] = [];
  /** The Notifier reported a change not yet read from the journal. */
  dirty = false;
  /** Grows with every change seen (journal or the session's own), so watchers know when to look again. */
  generation = 0;
  /** Active CONTEXT updates by command tag. */
  readonly watchers = new Map<string, MailboxWatcher>();
  private readonly recent: Set<number>;
  private pendingExists = false;
  private readonly pendingExpunged = new Set<number>();
  private readonly pendingFlags = new Map<number, FlagUpdate>();
  /** Flag changes this session already reported itself (uid -> modseq), not to be echoed again from the journal. */
  private readonly ownFlags = new Map<number, number>();

  constructor(init: { mailbox: Mailbox; readOnly: boolean; uids: number[]; highestModseq: number; recent: Iterable<number>; keywords: Iterable<string> }) {
    this.id = init.mailbox.id;
    this.path = init.mailbox.path;
    this.uidValidity = init.mailbox.uidValidity;
    this.readOnly = init.readOnly;
    this.view = new UidView(init.uids);
    this.highestModseq = init.highestModseq;
    this.recent = new Set(init.recent);
    this.keywords = new Set(init.keywords);
  }

  isRecent(uid: number): boolean {
    return this.recent.has(uid);
  }

  get recentCount(): number {
    return this.recent.size;
  }

  /** The \Recent messages still in the view, ascending. */
  recentUids(): number[] {
    return [...this.recent].filter((u) => this.view.has(u)).sort((a, b) => a - b);
  }

  get hasPending(): boolean {
    return this.pendingExists || this.pendingExpunged.size > 0 || this.pendingFlags.size > 0;
  }

  /** A flag change the session reported in its own command's answer. */
  noteOwnFlags(uid: number, modseq: number): void {
    // Bounded: an entry is dropped when its journal echo is read; a lost one costs one extra FETCH.
    if (this.ownFlags.size > 100_000) this.ownFlags.clear();
    this.ownFlags.set(uid, modseq);
    this.pendingFlags.delete(uid);
    this.generation++;
  }

  /** Messages this session expunged itself (EXPUNGE, MOVE): announced at the next point allowed. */
  noteExpunged(uids: Iterable<number>): void {
    this.generation++;
    for (const uid of uids) {
      if (this.view.has(uid)) this.pendingExpunged.add(uid);
      this.pendingFlags.delete(uid);
    }
  }

  /** Reads the journal past `highestModseq` into the pending updates. */
  async sync(mail: MailStore): Promise<void> {
    this.dirty = false;
    const events = await mail.getChanges(this.id, this.highestModseq);
    if (!events.length) return;
    this.generation++;
    const gone = new Set<number>();
    for (const ev of events) if (ev.type === 'expunge') gone.add(ev.uid);
    const fresh: number[] = [];
    const max = this.view.maxUid;
    for (const ev of events) {
      if (ev.type === 'mailbox') continue;
      if (ev.modseq > this.highestModseq) this.highestModseq = ev.modseq;
      if (ev.type === 'exists') {
        if (ev.uid > max && !gone.has(ev.uid)) fresh.push(ev.uid);
      } else if (ev.type === 'expunge') {
        if (this.view.has(ev.uid)) this.pendingExpunged.add(ev.uid);
        this.pendingFlags.delete(ev.uid);
      } else if (ev.type === 'flags') {
        if (this.ownFlags.get(ev.uid) === ev.modseq) {
          this.ownFlags.delete(ev.uid);
          continue;
        }
        if (!gone.has(ev.uid) && this.view.has(ev.uid)) this.pendingFlags.set(ev.uid, { uid: ev.uid, flags: ev.flags, modseq: ev.modseq });
      }
    }
    if (fresh.length) {
      fresh.sort((a, b) => a - b);
      const unique = fresh.filter((u, i) => i === 0 || u !== fresh[i - 1]);
      this.view.append(unique);
      this.pendingExists = true;
      // RFC 3501 2.3.2: a message is \Recent in the first session that learns of it.
      if (!this.readOnly) {
        const before = await mail.claimRecent(this.id, unique[unique.length - 1]!);
        for (const u of unique) if (u > before) this.recent.add(u);
      }
    }
  }

  /**
   * Takes what may be announced now. Without `expunge`, expunges stay pending (and the view
   * keeps those messages, so sequence numbers do not move under the client).
   */
  take(expunge: boolean): PendingUpdates {
    const out: PendingUpdates = { expunged: [], exists: null, flags: [] };
    if (expunge && this.pendingExpunged.size) {
      for (const uid of this.pendingExpunged) {
        const seq = this.view.seqOf(uid);
        if (seq) out.expunged.push({ uid, seq });
        this.recent.delete(uid);
      }
      out.expunged.sort((a, b) => a.uid - b.uid);
      this.view.remove(this.pendingExpunged);
      this.pendingExpunged.clear();
    }
    if (this.pendingExists) {
      out.exists = this.view.size;
      this.pendingExists = false;
    }
    if (this.pendingFlags.size) {
      for (const u of this.pendingFlags.values()) if (this.view.has(u.uid) && !this.pendingExpunged.has(u.uid)) out.flags.push(u);
      out.flags.sort((a, b) => a.uid - b.uid);
      this.pendingFlags.clear();
    }
    return out;
  }

  /** Announced and not yet announced expunges: a FETCH of these finds nothing (RFC 5530 EXPUNGEISSUED). */
  isExpungePending(uid: number): boolean {
    return this.pendingExpunged.has(uid);
  }
}
