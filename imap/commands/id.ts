import type { CommandSpec } from '../session/command-spec.js';
import { atom } from '../protocol/values.js';
import { ANY } from './states.js';

/** ID (RFC 2971): the client's name goes to the logs; ours is Heron. */
export const id: CommandSpec<'ID'> = {
  states: ANY,
  async run(session, cmd) {
    if (cmd.params) {
      const name = cmd.params.find(([k]) => k.toLowerCase() === 'name')?.[1];
      const version = cmd.params.find(([k]) => k.toLowerCase() === 'version')?.[1];
      session.clientId = [name, version].filter(Boolean).join(' ').slice(0, 100) || null;
      session.log.info({ event: 'id', client: session.clientId }, 'imap client id');
    }
    await session.untagged(atom('ID'), ['name', 'Heron', 'vendor', 'Heron']);
  },
};
