import type { CommandSpec } from '../session/command-spec.js';
import { ImapCodes, ImapNo } from '../session/imap-error.js';
import { findMailbox, userIdOf } from './mailbox-names.js';
import { AUTHENTICATED } from './states.js';

/** DELETE (RFC 3501 6.3.4): INBOX and the special-use mailboxes stay. Deleting the selected mailbox deselects it. */
export const del: CommandSpec<'DELETE'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    const box = await findMailbox(session, deps, cmd.mailbox);
    if (box.path === 'INBOX' || box.specialUse) throw new ImapNo(ImapCodes.cannot, 'This mailbox cannot be deleted');
    if (session.selected?.id === box.id) session.select(null);
    await deps.mail.deleteMailbox(userIdOf(session), box.path);
  },
};
