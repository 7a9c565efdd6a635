/**
 * FETCH of UID, FLAGS and MODSEQ only (what a client syncing a big mailbox asks, RFC 3501
 * 6.4.5, RFC 7162 3.1.4), written as plain text in large pieces. Without MODSEQ the flags come
 * from FETCH FLAGS' memory (session/flag-cache.ts, caught up by a CHANGEDSINCE read); with it,
 * or with CHANGEDSINCE, from MailStore.listFlags, which gives flags and MODSEQ and nothing else.
 */
import type { FetchItem } from '../protocol/fetch-items.js';
import type { ImapDeps } from '../session/deps.js';
import type { Session } from '../session/session.js';
import { uidRead } from './message-set.js';

const FLAG_ITEMS = new Set(['UID', 'FLAGS', 'MODSEQ']);
/** Answer text sent in pieces of about this many characters. */
const SEND_CHUNK = 256 * 1024;

/** Whether these items need nothing but UID, flags and MODSEQ. */
export function flagsOnly(items: readonly FetchItem[]): boolean {
  return items.every((i) => i.type === 'simple' && FLAG_ITEMS.has(i.name));
}

/**
 * The answer lines, built in one long-lived class (its methods are compiled once for every
 * FETCH, where a closure per command would start cold each time).
 */
class FlagLines {
  found = 0;
  private out = '';
  /** Stores share one array between messages with the same flags: its text is built once. */
  private lastFlags: readonly string[] | null = null;
  private flagText = '';
  private flagRecentText = '';
  /** A send the caller must wait for before the next line. */
  private pending: Promise<void> | undefined;
  private readonly recentOn: boolean;
  private readonly onlyFlags: boolean;

  constructor(
    private readonly session: Session,
    private readonly sel: NonNullable<Session['selected']>,
    private readonly plain: readonly string[],
    private readonly seen: readonly string[],
    private readonly seenNow: ReadonlySet<number>,
  ) {
    // RFC 3501 \Recent: per session, never stored; IMAP4rev2 has none.
    this.recentOn = !session.rev2;
    this.onlyFlags = plain.length === 1 && plain[0] === 'FLAGS' && seenNow.size === 0;
  }

  /** Adds the line of one message; returns a send to wait for, if any. */
  add(uid: number, flags: readonly string[], rowModseq: number | undefined): Promise<void> | undefined {
    const seq = this.sel.view.seqOf(uid);
    if (!seq) return undefined;
    this.found++;
    if (flags !== this.lastFlags) this.newFlags(flags);
    const flagsNow = this.recentOn && this.sel.isRecent(uid) ? this.flagRecentText : this.flagText;
    // The common ask (`FETCH 1:* (FLAGS)`) as one concatenation.
    if (this.onlyFlags) this.out += `* ${seq} FETCH (${flagsNow})\r\n`;
    else {
      const its = this.seenNow.has(uid) ? this.seen : this.plain;
      let text = `* ${seq} FETCH (`;
      for (let i = 0; i < its.length; i++) {
        if (i) text += ' ';
        const name = its[i];
        if (name === 'UID') text += `UID ${uid}`;
        else if (name === 'MODSEQ') text += `MODSEQ (${rowModseq ?? 0})`;
        else if (name === 'FLAGS') text += flagsNow;
      }
      this.out += text + ')\r\n';
    }
    const pending = this.pending;
    this.pending = undefined;
    if (this.out.length >= SEND_CHUNK) return pending ? pending.then(() => this.flush()) : this.flush();
    return pending;
  }

  flush(): Promise<void> | undefined {
    if (!this.out) return undefined;
    const p = this.session.send([this.out]);
    this.out = '';
    return p;
  }

  private newFlags(flags: readonly string[]): void {
    // A new keyword's `* FLAGS` goes out before this answer and after the ones before it.
    if (this.out && flags.some((f) => !f.startsWith('\\') && !this.sel.keywords.has(f))) this.pending = this.flush();
    this.session.announceKeywords(flags);
    this.lastFlags = flags;
    const text = flags.join(' ');
    this.flagText = `FLAGS (${text})`;
    this.flagRecentText = `FLAGS (${text ? `${text} \\Recent` : '\\Recent'})`;
  }
}

/**
 * Answers the messages of `uids` (ascending, in the view); `withFlags` is used for those in
 * `seenNow`. Returns how many were found, or -1 when the session closed meanwhile.
 */
export async function fetchFlags(
  session: Session,
  deps: ImapDeps,
  uids: readonly number[],
  items: readonly FetchItem[],
  withFlags: readonly FetchItem[],
  seenNow: ReadonlySet<number>,
  changedSince: number | null,
): Promise<number> {
  const sel = session.selected!;
  const names = (its: readonly FetchItem[]) => its.map((i) => (i.type === 'simple' ? i.name : ''));
  const plain = names(items);
  const seen = names(withFlags);
  const modseq = changedSince !== null || plain.includes('MODSEQ') || seen.includes('MODSEQ');
  const lines = new FlagLines(session, sel, plain, seen, seenNow);
  if (!modseq) {
    // Whole-mailbox syncs without MODSEQ: from FETCH FLAGS' memory, refreshed by CHANGEDSINCE.
    const snap = await deps.flags.read(deps.mail, sel.id, sel.uidValidity, sel.view.size);
    if (snap) {
      const known = snap.uids;
      let at = 0;
      for (let i = 0; i < uids.length; i++) {
        const uid = uids[i]!;
        while (at < known.length && known[at]! < uid) at++;
        if (known[at] !== uid) continue;
        const p = lines.add(uid, snap.flags[at]!, undefined);
        if (!p) continue;
        await p;
        if (session.closed) return -1;
      }
      const p = lines.flush();
      if (p) await p;
      return session.closed ? -1 : lines.found;
    }
  }
  const { selector, wanted } = uidRead(uids);
  for await (const page of deps.mail.listFlags(sel.id, selector, changedSince !== null ? { changedSince } : { modseq })) {
    for (const row of page) {
      if (wanted && !wanted.has(row.uid)) continue;
      const p = lines.add(row.uid, row.flags, row.modseq);
      if (p) await p;
    }
    const p = lines.flush();
    if (p) await p;
    if (session.closed) return -1;
  }
  return lines.found;
}
