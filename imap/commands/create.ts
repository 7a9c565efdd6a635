import type { SpecialUse } from '../../domain/index.js';
import type { CommandSpec } from '../session/command-spec.js';
import { ImapCodes, ImapNo } from '../session/imap-error.js';
import { checkNewName, userIdOf } from './mailbox-names.js';
import { AUTHENTICATED } from './states.js';

const USES = new Map(['\\Sent', '\\Drafts', '\\Junk', '\\Trash', '\\Archive'].map((u) => [u.toLowerCase(), u as SpecialUse]));

/** CREATE (RFC 3501 6.3.3) with USE (CREATE-SPECIAL-USE, RFC 6154 3). Missing parents are created. */
export const create: CommandSpec<'CREATE'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    const name = checkNewName(session.mailboxName(cmd.mailbox));
    if (name.toUpperCase() === 'INBOX') throw new ImapNo(ImapCodes.alreadyExists, 'INBOX always exists');
    let specialUse: SpecialUse | undefined;
    if (cmd.specialUse.length) {
      // One special use per mailbox here; \All and \Flagged are views Heron does not keep.
      const use = cmd.specialUse.length === 1 ? USES.get(cmd.specialUse[0]!.toLowerCase()) : undefined;
      if (!use) throw new ImapNo(ImapCodes.useAttr, 'Unsupported special-use attribute');
      specialUse = use;
    }
    // CREATE does not subscribe (RFC 3501 6.3.3); clients subscribe what they want.
    await deps.mail.createMailbox(userIdOf(session), name, { subscribed: false, ...(specialUse ? { specialUse } : {}) });
  },
};
