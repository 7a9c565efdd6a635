import type { CommandSpec } from '../session/command-spec.js';
import { findMailbox } from './mailbox-names.js';
import { sendStatus } from './status-items.js';
import { AUTHENTICATED } from './states.js';

/** STATUS (RFC 3501 6.3.10). Never claims \Recent (only SELECT does). */
export const status: CommandSpec<'STATUS'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    const box = await findMailbox(session, deps, cmd.mailbox);
    await sendStatus(session, deps, box, cmd.items);
  },
};
