import type { CommandSpec } from '../session/command-spec.js';
import { completeLogin, requireTls } from './login-flow.js';
import { NOT_AUTHENTICATED } from './states.js';

/** LOGIN (RFC 3501 6.2.3). */
export const login: CommandSpec<'LOGIN'> = {
  states: NOT_AUTHENTICATED,
  async run(session, cmd, deps) {
    requireTls(session);
    return completeLogin(session, deps, cmd.user, cmd.password);
  },
};
