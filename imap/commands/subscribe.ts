import type { CommandSpec } from '../session/command-spec.js';
import { userIdOf } from './mailbox-names.js';
import { AUTHENTICATED } from './states.js';

/**
 * SUBSCRIBE / UNSUBSCRIBE (RFC 3501 6.3.6-7): subscriptions are names, kept even for a
 * mailbox that does not exist (LIST-EXTENDED reports it \NonExistent, RFC 5258).
 */
export const subscribe: CommandSpec<'SUBSCRIBE'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    await deps.mail.setSubscribed(userIdOf(session), session.mailboxName(cmd.mailbox), true);
  },
};

export const unsubscribe: CommandSpec<'UNSUBSCRIBE'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    await deps.mail.setSubscribed(userIdOf(session), session.mailboxName(cmd.mailbox), false);
  },
};
