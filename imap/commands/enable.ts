import type { CommandSpec } from '../session/command-spec.js';
import { atom } from '../protocol/values.js';
import { AUTHENTICATED } from './states.js';

/** What ENABLE can turn on; QRESYNC implies CONDSTORE (RFC 7162 3.2.3). */
const ENABLEABLE = new Set(['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT', 'IMAP4REV2']);

/** ENABLE (RFC 5161): `* ENABLED` lists what this command newly turned on. */
export const enable: CommandSpec<'ENABLE'> = {
  states: AUTHENTICATED,
  async run(session, cmd) {
    const turned: string[] = [];
    for (const cap of cmd.capabilities) {
      if (!ENABLEABLE.has(cap) || session.enabled.has(cap)) continue;
      session.enabled.add(cap);
      turned.push(cap === 'IMAP4REV2' ? 'IMAP4rev2' : cap);
      if (cap === 'QRESYNC' && !session.enabled.has('CONDSTORE')) session.enabled.add('CONDSTORE');
    }
    await session.untagged(atom('ENABLED'), ...turned.map((c) => atom(c)));
  },
};
