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

/** One message's answer line, built from its uid, flags and MODSEQ. */
type LineWriter = (uid: number, flags: readonly string[], modseq: number | undefined) => Promise<void> | undefined;

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
  let found = 0;
  let out = '';
  const flush = (): Promise<void> | undefined => {
    if (!out) return undefined;
    const p = session.send([out]);
    out = '';
    return p;
  };
  // Stores share one array between messages with the same flags: its text is built once.
  let lastFlags: readonly string[] | null = null;
  let flagText = '';
  let flagRecentText = '';
  const line: LineWriter = (uid, flags, rowModseq) => {
    const seq = sel.view.seqOf(uid);
    if (!seq) return undefined;
    found++;
    let pending: Promise<void> | undefined;
    if (flags !== lastFlags) {
      // A new keyword's `* FLAGS` goes out before this answer and after the ones before it.
      if (out && flags.some((f) => !f.startsWith('\\') && !sel.keywords.has(f))) pending = flush();
      session.announceKeywords(flags);
      lastFlags = flags;
      const text = flags.join(' ');
      flagText = `FLAGS (${text})`;
      // RFC 3501 \Recent: per session, never stored.
      flagRecentText = `FLAGS (${text ? `${text} \\Recent` : '\\Recent'})`;
    }
    const its = seenNow.has(uid) ? seen : plain;
    const flagsNow = !session.rev2 && sel.isRecent(uid) ? flagRecentText : flagText;
    // The common ask (`FETCH 1:* (FLAGS)`) as one concatenation.
    if (its.length === 1 && its[0] === 'FLAGS') out += `* ${seq} FETCH (${flagsNow})\r\n`;
    else {
      let text = `* ${seq} FETCH (`;
      for (let i = 0; i < its.length; i++) {
        if (i) text += ' ';
        const name = its[i];
        if (name === 'UID') text += `UID ${uid}`;
        else if (name === 'MODSEQ') text += `MODSEQ (${rowModseq ?? 0})`;
        else if (name === 'FLAGS') text += flagsNow;
      }
      out += text + ')\r\n';
    }
    if (out.length >= SEND_CHUNK) return pending ? pending.then(flush) : flush();
    return pending;
  };
  if (!modseq) {
    // Whole-mailbox syncs without MODSEQ: from FETCH FLAGS' memory, refreshed by CHANGEDSINCE.
    const snap = await deps.flags.read(deps.mail, sel.id, sel.uidValidity, sel.view.size);
    if (snap) {
      let at = 0;
      for (const uid of uids) {
        while (at < snap.uids.length && snap.uids[at]! < uid) at++;
        if (snap.uids[at] !== uid) continue;
        const p = line(uid, snap.flags[at]!, undefined);
        if (p) await p;
        if (session.closed) return -1;
      }
      const p = flush();
      if (p) await p;
      return session.closed ? -1 : found;
    }
  }
  const { selector, wanted } = uidRead(uids);
  for await (const page of deps.mail.listFlags(sel.id, selector, changedSince !== null ? { changedSince } : { modseq })) {
    for (const row of page) {
      if (wanted && !wanted.has(row.uid)) continue;
      const p = line(row.uid, row.flags, row.modseq);
      if (p) await p;
    }
    const p = flush();
    if (p) await p;
    if (session.closed) return -1;
  }
  return found;
}
