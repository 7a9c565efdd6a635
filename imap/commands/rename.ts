import type { CommandSpec } from '../session/command-spec.js';
import { ImapCodes, ImapNo } from '../session/imap-error.js';
import { checkNewName, findMailbox, userIdOf } from './mailbox-names.js';
import { AUTHENTICATED } from './states.js';

/** RENAME (RFC 3501 6.3.5): children move along; renaming INBOX moves its messages to a new mailbox. */
export const rename: CommandSpec<'RENAME'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    const box = await findMailbox(session, deps, cmd.mailbox);
    const to = checkNewName(session.mailboxName(cmd.newName));
    if (to.toUpperCase() === 'INBOX') throw new ImapNo(ImapCodes.alreadyExists, 'INBOX always exists');
    if (to === box.path) throw new ImapNo(ImapCodes.alreadyExists, 'Same name');
    await deps.mail.renameMailbox(userIdOf(session), box.path, to);
  },
};
