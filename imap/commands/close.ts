import type { CommandSpec } from '../session/command-spec.js';
import { SELECTED } from './states.js';

/**
 * CLOSE (RFC 3501 6.4.2): removes the \Deleted messages (read-write only) without untagged
 * EXPUNGE responses, then leaves the selected state. mbsync deletes through this.
 */
export const close: CommandSpec<'CLOSE'> = {
  states: SELECTED,
  async run(session, _cmd, deps) {
    const sel = session.selected!;
    session.select(null);
    if (!sel.readOnly) await deps.mail.expunge(sel.id);
  },
};

/** UNSELECT (RFC 3691): leaves the selected state, expunging nothing. */
export const unselect: CommandSpec<'UNSELECT'> = {
  states: SELECTED,
  async run(session) {
    session.select(null);
  },
};
