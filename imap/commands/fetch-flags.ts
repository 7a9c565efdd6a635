/**
 * FETCH of UID, FLAGS and MODSEQ only (what a client syncing a big mailbox asks, RFC 3501
 * 6.4.5, RFC 7162 3.1.4): read through MailStore.listFlags, which gives flags and MODSEQ and
 * nothing else, and written as plain text a store page at a time.
 */
import type { FetchItem } from '../protocol/fetch-items.js';
import type { ImapDeps } from '../session/deps.js';
import type { Session } from '../session/session.js';
import { uidRead } from './message-set.js';

const FLAG_ITEMS = new Set(['UID', 'FLAGS', 'MODSEQ']);

/** Whether these items need nothing but UID, flags and MODSEQ. */
export function flagsOnly(items: readonly FetchItem[]): boolean {
  return items.every((i) => i.type === 'simple' && FLAG_ITEMS.has(i.name));
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
  const { selector, wanted } = uidRead(uids);
  // Stores share one array between messages with the same flags: its text is built once.
  let lastFlags: readonly string[] | null = null;
  let lastText = '';
  let found = 0;
  for await (const page of deps.mail.listFlags(sel.id, selector, changedSince !== null ? { changedSince } : {})) {
    let out = '';
    for (const row of page) {
      if (wanted && !wanted.has(row.uid)) continue;
      const seq = sel.view.seqOf(row.uid);
      if (!seq) continue;
      found++;
      let line = `* ${seq} FETCH (`;
      const its = seenNow.has(row.uid) ? seen : plain;
      for (let i = 0; i < its.length; i++) {
        if (i) line += ' ';
        switch (its[i]) {
          case 'UID':
            line += `UID ${row.uid}`;
            break;
          case 'MODSEQ':
            line += `MODSEQ (${row.modseq})`;
            break;
          case 'FLAGS': {
            if (row.flags !== lastFlags) {
              // A new keyword's `* FLAGS` goes out before this answer and after the ones before it.
              if (out && row.flags.some((f) => !f.startsWith('\\') && !sel.keywords.has(f))) {
                const p = session.send([out]);
                out = '';
                if (p) await p;
              }
              session.announceKeywords(row.flags);
              lastFlags = row.flags;
              lastText = row.flags.join(' ');
            }
            // RFC 3501 \Recent: per session, never stored.
            const recent = !session.rev2 && sel.isRecent(row.uid);
            line += `FLAGS (${recent ? (lastText ? `${lastText} \\Recent` : '\\Recent') : lastText})`;
            break;
          }
        }
      }
      out += line + ')\r\n';
    }
    if (out) {
      const p = session.send([out]);
      if (p) await p;
    }
    if (session.closed) return -1;
  }
  return found;
}
