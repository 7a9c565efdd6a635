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

const FETCH_OPEN = Buffer.from(' FETCH (');
const UID_OPEN = Buffer.from('UID ');

/** `n` (a non-negative integer) in decimal at `at`; returns the end. */
function writeDigits(buf: Buffer, at: number, n: number): number {
  let width = 1;
  for (let m = n; m >= 10; m = Math.floor(m / 10)) width++;
  const end = at + width;
  let i = end;
  for (let m = n; i > at; m = Math.floor(m / 10)) buf[--i] = 48 + (m % 10);
  return end;
}

/**
 * The answer lines, built in one long-lived class (its methods are compiled once for every
 * FETCH, where a closure per command would start cold each time). The common ask, `FETCH 1:*
 * (FLAGS)`, is written as bytes straight into a buffer: digits and the cached rest of the line,
 * no string per line (three times faster than joining strings on a fresh server).
 */
class FlagLines {
  found = 0;
  private out = '';
  private bytes: Buffer | null = null;
  private used = 0;
  /** Stores share one array between messages with the same flags: its text is built once. */
  private lastFlags: readonly string[] | null = null;
  private flagText = '';
  private flagRecentText = '';
  /** `FLAGS (...))\r\n`, without and with \Recent. */
  private tail = Buffer.alloc(0);
  private tailRecent = Buffer.alloc(0);
  /** A send the caller must wait for before the next line. */
  private pending: Promise<void> | undefined;
  private readonly recentOn: boolean;
  /** Answers written as bytes: `FETCH (FLAGS)` and `UID FETCH (FLAGS)` (UID FLAGS) as clients sync. */
  private readonly onlyFlags: boolean;
  private readonly withUid: boolean;

  constructor(
    private readonly session: Session,
    private readonly sel: NonNullable<Session['selected']>,
    private readonly plain: readonly string[],
    private readonly seen: readonly string[],
    private readonly seenNow: ReadonlySet<number>,
  ) {
    // RFC 3501 \Recent: per session, never stored; IMAP4rev2 has none.
    this.recentOn = !session.rev2;
    this.withUid = plain.length === 2 && plain[0] === 'UID' && plain[1] === 'FLAGS';
    this.onlyFlags = seenNow.size === 0 && (this.withUid || (plain.length === 1 && plain[0] === 'FLAGS'));
  }

  /** Adds the line of one message; returns a send to wait for, if any. */
  add(uid: number, flags: readonly string[], rowModseq: number | undefined): Promise<void> | undefined {
    const seq = this.sel.view.seqOf(uid);
    if (!seq) return undefined;
    this.found++;
    if (flags !== this.lastFlags) this.newFlags(flags);
    const recent = this.recentOn && this.sel.isRecent(uid);
    let size: number;
    if (this.onlyFlags) size = this.addBytes(seq, uid, recent ? this.tailRecent : this.tail);
    else {
      const its = this.seenNow.has(uid) ? this.seen : this.plain;
      let text = `* ${seq} FETCH (`;
      for (let i = 0; i < its.length; i++) {
        if (i) text += ' ';
        const name = its[i];
        if (name === 'UID') text += `UID ${uid}`;
        else if (name === 'MODSEQ') text += `MODSEQ (${rowModseq ?? 0})`;
        else if (name === 'FLAGS') text += recent ? this.flagRecentText : this.flagText;
      }
      this.out += text + ')\r\n';
      size = this.out.length;
    }
    const pending = this.pending;
    this.pending = undefined;
    if (size >= SEND_CHUNK) return pending ? pending.then(() => this.flush()) : this.flush();
    return pending;
  }

  /** `* <seq> FETCH ([UID <uid> ]<tail>`; returns the bytes now held. */
  private addBytes(seq: number, uid: number, tail: Buffer): number {
    const need = 48 + tail.length;
    if (!this.bytes || this.used + need > this.bytes.length) {
      const next = Buffer.allocUnsafe(Math.max(SEND_CHUNK + 4096, this.used + need));
      if (this.bytes) this.bytes.copy(next, 0, 0, this.used);
      this.bytes = next;
    }
    const b = this.bytes;
    let at = this.used;
    b[at++] = 42; // '*'
    b[at++] = 32;
    at = writeDigits(b, at, seq);
    for (let i = 0; i < FETCH_OPEN.length; i++) b[at++] = FETCH_OPEN[i]!;
    if (this.withUid) {
      for (let i = 0; i < UID_OPEN.length; i++) b[at++] = UID_OPEN[i]!;
      at = writeDigits(b, at, uid);
      b[at++] = 32;
    }
    // Short tails byte by byte: cheaper than a call into Buffer.copy for 20 bytes.
    if (tail.length > 64) at += tail.copy(b, at);
    else for (let i = 0; i < tail.length; i++) b[at++] = tail[i]!;
    this.used = at;
    return at;
  }

  flush(): Promise<void> | undefined {
    if (this.bytes && this.used) {
      const chunk = this.bytes.subarray(0, this.used);
      // The writer keeps the chunk until it is written: the next lines go into a new buffer.
      this.bytes = null;
      this.used = 0;
      return this.session.send([chunk]);
    }
    if (!this.out) return undefined;
    const p = this.session.send([this.out]);
    this.out = '';
    return p;
  }

  private newFlags(flags: readonly string[]): void {
    // A new keyword's `* FLAGS` goes out before this answer and after the ones before it.
    if ((this.out || this.used) && flags.some((f) => !f.startsWith('\\') && !this.sel.keywords.has(f))) this.pending = this.flush();
    this.session.announceKeywords(flags);
    this.lastFlags = flags;
    const text = flags.join(' ');
    this.flagText = `FLAGS (${text})`;
    this.flagRecentText = `FLAGS (${text ? `${text} \\Recent` : '\\Recent'})`;
    if (this.onlyFlags) {
      this.tail = Buffer.from(`${this.flagText})\r\n`);
      this.tailRecent = Buffer.from(`${this.flagRecentText})\r\n`);
    }
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
