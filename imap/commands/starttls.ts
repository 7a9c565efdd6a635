import type { CommandSpec } from '../session/command-spec.js';
import { ImapBad } from '../session/imap-error.js';
import { NOT_AUTHENTICATED } from './states.js';

/**
 * STARTTLS (RFC 3501 6.2.1, RFC 9051 6.2.1). Refused when TLS is already on, and when more
 * commands were pipelined behind it: those bytes arrived in plain text and must not be run as
 * if they came through TLS (the STARTTLS command injection, CVE-2011-0411 class).
 */
export const starttls: CommandSpec<'STARTTLS'> = {
  states: NOT_AUTHENTICATED,
  async run(session) {
    if (session.tls || !session.ctx.tls) throw new ImapBad('TLS is already active');
    if (session.inputPending) throw new ImapBad('Unexpected data after STARTTLS');
    return { text: 'Begin TLS negotiation now', after: () => session.startTls() };
  },
};
