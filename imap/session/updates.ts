/** Untagged responses for changes made elsewhere (RFC 3501 7.3.1, 7.4.1, 7.4.2; RFC 7162 3.2.10). */
import { formatSequenceSet } from '../protocol/sequence-set.js';
import type { PendingUpdates, SelectedMailbox } from './selected-mailbox.js';
import type { Session } from './session.js';

export function formatUpdates(session: Session, sel: SelectedMailbox, u: PendingUpdates): string[] {
  const out: string[] = [];
  if (u.expunged.length) {
    if (session.qresync) {
      out.push(`* VANISHED ${formatSequenceSet(u.expunged.map((e) => e.uid))}\r\n`);
    } else {
      // Highest first: every number is then still the one the client knows.
      for (let i = u.expunged.length - 1; i >= 0; i--) out.push(`* ${u.expunged[i]!.seq} EXPUNGE\r\n`);
    }
  }
  if (u.exists !== null) {
    out.push(`* ${u.exists} EXISTS\r\n`);
    // RFC 9051 removed \Recent; IMAP4rev1 clients still get RECENT (RFC 3501 7.3.2).
    if (!session.rev2) out.push(`* ${sel.recentCount} RECENT\r\n`);
  }
  for (const f of u.flags) {
    const seq = sel.view.seqOf(f.uid);
    if (!seq) continue;
    const flags = session.flagAtoms(f.uid, f.flags).map((a) => (a as { atom: string }).atom).join(' ');
    out.push(`* ${seq} FETCH (UID ${f.uid} FLAGS (${flags})${session.condstore ? ` MODSEQ (${f.modseq})` : ''})\r\n`);
  }
  return out;
}
