/**
 * COPY and MOVE (RFC 3501 6.4.7, RFC 6851) with COPYUID (RFC 4315 3). Source and destination
 * UIDs are listed pair by pair in the same order. MOVE answers COPYUID in an untagged OK before
 * the EXPUNGEs of the source (RFC 6851 3.3); a MOVE into the selected mailbox itself gives the
 * messages new UIDs there, as a COPY followed by an EXPUNGE would.
 */
import type { Mailbox } from '../../domain/index.js';
import { formatSequenceSet } from '../protocol/sequence-set.js';
import type { CommandSpec } from '../session/command-spec.js';
import type { ImapDeps } from '../session/deps.js';
import { ImapCodes, ImapNo } from '../session/imap-error.js';
import type { Session } from '../session/session.js';
import { findMailbox, userIdOf } from './mailbox-names.js';
import { readMessages, resolveSet } from './message-set.js';
import { SELECTED } from './states.js';

/** Tells the spam learner (RFC-free: Heron's training loop); never fails the command. */
async function observeMove(session: Session, deps: ImapDeps, from: Mailbox, to: Mailbox, destinationUids: number[]): Promise<void> {
  const observer = deps.moveObserver;
  if (!observer || from.id === to.id || !destinationUids.length) return;
  try {
    const messageIds: string[] = [];
    for await (const m of readMessages(deps.mail, to.id, [...destinationUids].sort((a, b) => a - b), { fields: ['flags'] })) messageIds.push(m.id);
    observer.messagesMoved({ userId: userIdOf(session), from, to, messageIds });
  } catch (err) {
    session.log.warn({ err }, 'move observer failed');
  }
}

function copyUid(uidValidity: number, source: number[], destination: number[]): string {
  return `${uidValidity} ${formatSequenceSet(source)} ${formatSequenceSet(destination)}`;
}

export const copy: CommandSpec<'COPY'> = {
  states: SELECTED,
  expungeAllowed: (cmd) => cmd.uid,
  async run(session, cmd, deps) {
    const sel = session.selected!;
    const uids = resolveSet(sel, cmd.set, cmd.uid);
    const dest = await findMailbox(session, deps, cmd.mailbox, 'TRYCREATE');
    if (!uids.length) return;
    const res = await deps.mail.copyMessages(sel.id, uids, dest.id);
    if (dest.id === sel.id) sel.dirty = true;
    const from = await deps.mail.getMailboxById(userIdOf(session), sel.id);
    if (from) await observeMove(session, deps, from, dest, res.destinationUids);
    if (!res.sourceUids.length) return;
    return { code: 'COPYUID', codeData: copyUid(res.uidValidity, res.sourceUids, res.destinationUids), text: 'COPY completed' };
  },
};

export const move: CommandSpec<'MOVE'> = {
  states: SELECTED,
  // The source's EXPUNGEs are part of MOVE's own answer (RFC 6851 3.3).
  expungeAllowed: () => true,
  async run(session, cmd, deps) {
    const sel = session.selected!;
    if (sel.readOnly) throw new ImapNo(ImapCodes.readOnly, 'Mailbox is read-only');
    const uids = resolveSet(sel, cmd.set, cmd.uid);
    const dest = await findMailbox(session, deps, cmd.mailbox, 'TRYCREATE');
    if (!uids.length) return;
    let res;
    if (dest.id === sel.id) {
      res = await deps.mail.copyMessages(sel.id, uids, dest.id);
      await deps.mail.updateFlags(sel.id, res.sourceUids, { action: 'add', flags: ['\\Deleted'] });
      await deps.mail.expunge(sel.id, { uids: res.sourceUids });
    } else {
      res = await deps.mail.moveMessages(sel.id, uids, dest.id);
    }
    if (res.sourceUids.length) session.untaggedStatus('OK', 'Moved', 'COPYUID', copyUid(res.uidValidity, res.sourceUids, res.destinationUids));
    sel.noteExpunged(res.sourceUids);
    sel.dirty = true;
    const from = await deps.mail.getMailboxById(userIdOf(session), sel.id);
    if (from) await observeMove(session, deps, from, dest, res.destinationUids);
  },
};
