import type { CommandSpec } from '../session/command-spec.js';
import { SELECTED } from './states.js';

/** CANCELUPDATE (RFC 5267 4.3): stops the named CONTEXT updates. */
export const cancelupdate: CommandSpec<'CANCELUPDATE'> = {
  states: SELECTED,
  async run(session, cmd) {
    for (const tag of cmd.tags) session.selected!.watchers.delete(tag);
  },
};
