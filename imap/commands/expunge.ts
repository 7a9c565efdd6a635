import type { CommandSpec } from '../session/command-spec.js';
import { ImapCodes, ImapNo } from '../session/imap-error.js';
import { resolveSet } from './message-set.js';
import { SELECTED } from './states.js';

/**
 * EXPUNGE (RFC 3501 6.4.3) and UID EXPUNGE (RFC 4315 2.1): the store removes \Deleted
 * messages in one transaction; the session announces them (EXPUNGE, or VANISHED with QRESYNC)
 * before the tagged OK.
 */
export const expunge: CommandSpec<'EXPUNGE'> = {
  states: SELECTED,
  async run(session, cmd, deps) {
    const sel = session.selected!;
    if (sel.readOnly) throw new ImapNo(ImapCodes.readOnly, 'Mailbox is read-only');
    let gone: number[];
    if (cmd.set) {
      const uids = resolveSet(sel, cmd.set, true);
      gone = uids.length ? await deps.mail.expunge(sel.id, { uids }) : [];
    } else {
      gone = await deps.mail.expunge(sel.id);
    }
    sel.noteExpunged(gone);
    sel.dirty = true;
  },
};
