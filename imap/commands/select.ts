/**
 * SELECT / EXAMINE (RFC 3501 6.3.1-2, RFC 9051 6.3.2-3) with CONDSTORE (RFC 7162 3.1.2.1) and
 * QRESYNC (RFC 7162 3.2.5). The status is read before the UID list and UIDs at or above its
 * UIDNEXT are left out, so a message arriving meanwhile is announced once, from the journal.
 */
import type { Mailbox } from '../../domain/index.js';
import type { QresyncParams } from '../protocol/commands.js';
import { formatSequenceSet, inRanges, normalizeRanges } from '../protocol/sequence-set.js';
import { atom } from '../protocol/values.js';
import type { CommandSpec } from '../session/command-spec.js';
import type { ImapDeps } from '../session/deps.js';
import { ImapBad, ImapCodes } from '../session/imap-error.js';
import { SelectedMailbox } from '../session/selected-mailbox.js';
import type { Session } from '../session/session.js';
import { findMailbox } from './mailbox-names.js';
import { readMessages } from './message-set.js';
import { mailboxObjectId } from './status-items.js';
import { AUTHENTICATED } from './states.js';

/** QRESYNC (RFC 7162 3.2.5.2): what changed since the client's MODSEQ, as VANISHED (EARLIER) and FETCH. */
async function resync(session: Session, deps: ImapDeps, sel: SelectedMailbox, q: QresyncParams): Promise<void> {
  if (q.uidValidity !== sel.uidValidity) return;
  const events = await deps.mail.getChanges(sel.id, q.modseq);
  const known = q.knownUids && !q.knownUids.saved ? normalizeRanges(q.knownUids.ranges, Number.MAX_SAFE_INTEGER) : null;
  const inKnown = (uid: number): boolean => !known || inRanges(known, uid);
  const vanished: number[] = [];
  const changed = new Map<number, { flags: string[]; modseq: number }>();
  for (const ev of events) {
    if (ev.type === 'expunge') {
      if (inKnown(ev.uid) && !sel.view.has(ev.uid)) vanished.push(ev.uid);
    } else if (ev.type === 'flags') {
      if (sel.view.has(ev.uid)) changed.set(ev.uid, { flags: ev.flags, modseq: ev.modseq });
    }
  }
  if (vanished.length) {
    vanished.sort((a, b) => a - b);
    session.writeRaw(`* VANISHED (EARLIER) ${formatSequenceSet([...new Set(vanished)])}\r\n`);
  }
  // New messages since the client's MODSEQ also count as changed (their flags are news to it).
  for (const ev of events) if (ev.type === 'exists' && sel.view.has(ev.uid) && !changed.has(ev.uid)) changed.set(ev.uid, { flags: [], modseq: ev.modseq });
  if (!changed.size) return;
  const uids = [...changed.keys()].sort((a, b) => a - b);
  for await (const m of readMessages(deps.mail, sel.id, uids, { fields: ['flags'] })) {
    const seq = sel.view.seqOf(m.uid);
    if (!seq) continue;
    session.announceKeywords(m.flags);
    const p = session.untagged(seq, atom('FETCH'), [atom('UID'), m.uid, atom('FLAGS'), session.flagAtoms(m.uid, m.flags), atom('MODSEQ'), [m.modseq]]);
    if (p) await p;
  }
}

async function open(deps: ImapDeps, box: Mailbox, readOnly: boolean): Promise<{ sel: SelectedMailbox; uidNext: number }> {
  const status = await deps.mail.getMailboxStatus(box.id);
  const uids = (await deps.mail.listUids(box.id)).filter((u) => u < status.uidNext);
  const keywords = await deps.mail.listKeywords(box.id);
  const maxUid = uids.length ? uids[uids.length - 1]! : 0;
  // RFC 3501 2.3.2: SELECT claims \Recent for this session; EXAMINE only looks.
  let recent: number[];
  if (readOnly) {
    // The recent ones are the highest UIDs, above the watermark nobody has claimed yet.
    recent = status.recent > 0 ? uids.slice(Math.max(0, uids.length - status.recent)) : [];
  } else {
    const before = maxUid ? await deps.mail.claimRecent(box.id, maxUid) : maxUid;
    recent = uids.filter((u) => u > before);
  }
  return { sel: new SelectedMailbox({ mailbox: box, readOnly, uids, highestModseq: status.highestModseq, recent, keywords }), uidNext: status.uidNext };
}

function selectSpec(readOnly: boolean): CommandSpec<'SELECT' | 'EXAMINE'> {
  return {
    states: AUTHENTICATED,
    async run(session, cmd, deps) {
      if (cmd.qresync && !session.qresync) throw new ImapBad('QRESYNC is not enabled');
      const wasSelected = session.selected !== null;
      // RFC 3501 6.3.1: a failed SELECT leaves no mailbox selected.
      session.select(null);
      // RFC 7162 3.2.11: with QRESYNC, the end of the previous mailbox is marked.
      if (wasSelected && session.qresync) session.untaggedStatus('OK', 'Previous mailbox closed', ImapCodes.closed);
      const box = await findMailbox(session, deps, cmd.mailbox);
      if (cmd.condstore) session.enableCondstore();
      const { sel, uidNext } = await open(deps, box, readOnly);
      session.select(sel);
      session.sendFlagsResponses();
      session.writeRaw(`* ${sel.view.size} EXISTS\r\n`);
      if (!session.rev2) {
        session.writeRaw(`* ${sel.recentCount} RECENT\r\n`);
        const unseen = await firstUnseen(deps, sel);
        if (unseen) session.untaggedStatus('OK', `Message ${unseen} is first unseen`, 'UNSEEN', String(unseen));
      }
      session.untaggedStatus('OK', 'UIDs valid', 'UIDVALIDITY', String(sel.uidValidity));
      session.untaggedStatus('OK', 'Predicted next UID', 'UIDNEXT', String(Math.max(uidNext, sel.view.maxUid + 1)));
      session.untaggedStatus('OK', 'Highest', 'HIGHESTMODSEQ', String(sel.highestModseq));
      session.untaggedStatus('OK', 'Ok', 'MAILBOXID', `(${mailboxObjectId(box)})`);
      // RFC 9051 6.3.2: an IMAP4rev2 client is told the mailbox's name as LIST gives it.
      if (session.rev2) await session.untagged(atom('LIST'), [], '/', session.wireName(box.path));
      if (cmd.qresync) await resync(session, deps, sel, cmd.qresync);
      return { code: readOnly ? 'READ-ONLY' : 'READ-WRITE', text: readOnly ? 'EXAMINE completed' : 'SELECT completed' };
    },
  };
}

/** RFC 3501 7.1: [UNSEEN n] is the sequence number of the first message without \Seen. */
async function firstUnseen(deps: ImapDeps, sel: SelectedMailbox): Promise<number> {
  if (!sel.view.size) return 0;
  const uids = await deps.mail.searchUids(sel.id, { type: 'flag', flag: '\\Seen', present: false });
  for (const uid of uids) {
    const seq = sel.view.seqOf(uid);
    if (seq) return seq;
  }
  return 0;
}

export const select = selectSpec(false);
export const examine = selectSpec(true);
