import type { CommandSpec } from '../session/command-spec.js';
import { atom } from '../protocol/values.js';
import { ANY } from './states.js';

/** CAPABILITY (RFC 3501 6.1.1): the list depends on TLS and login state. */
export const capability: CommandSpec<'CAPABILITY'> = {
  states: ANY,
  async run(session) {
    await session.untagged(atom('CAPABILITY'), ...session.capabilities().map((c) => atom(c)));
  },
};
