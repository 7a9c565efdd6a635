import type { CommandSpec } from '../session/command-spec.js';
import { ANY } from './states.js';

/**
 * LOGOUT (RFC 3501 6.1.3): `* BYE` then the tagged OK, then the connection closes once both
 * are on the wire (through the final DEFLATE block when COMPRESS is on).
 */
export const logout: CommandSpec<'LOGOUT'> = {
  states: ANY,
  async run(session) {
    session.untaggedStatus('BYE', 'Logging out');
    session.state = 'logout';
    return { text: 'Logout completed', after: () => session.close() };
  },
};
