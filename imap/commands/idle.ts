import type { CommandSpec } from '../session/command-spec.js';
import { ImapBad, ImapCodes, ImapNo } from '../session/imap-error.js';
import { AUTHENTICATED } from './states.js';

/**
 * IDLE (RFC 2177, RFC 9051 6.3.13): updates of the selected mailbox are pushed as the store
 * reports them (NotifyHub -> Session.onMailChange) until the client sends DONE. The listener
 * writes `* OK Still here` every keepalive period meanwhile.
 */
export const idle: CommandSpec<'IDLE'> = {
  states: AUTHENTICATED,
  async run(session) {
    if (!session.beginIdle()) throw new ImapNo(ImapCodes.limit, 'Too many IDLE sessions');
    try {
      session.continuation('idling');
      if (session.selected) {
        session.selected.dirty = true;
        await session.sendUpdates(true);
        session.flush();
      }
      const line = await session.readLine();
      if (line === null) return;
      if (line.toString('latin1').trim().toUpperCase() !== 'DONE') throw new ImapBad('Expected DONE');
    } finally {
      session.endIdle();
    }
  },
};
