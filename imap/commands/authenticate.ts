import type { CommandSpec } from '../session/command-spec.js';
import { ImapBad, ImapCodes, ImapNo } from '../session/imap-error.js';
import { completeLogin, requireTls } from './login-flow.js';
import { NOT_AUTHENTICATED } from './states.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * AUTHENTICATE PLAIN (RFC 3501 6.2.2, RFC 4616) with an initial response (SASL-IR, RFC 4959).
 * `*` cancels (BAD). Acting as another user (an authzid other than the login) is refused.
 */
export const authenticate: CommandSpec<'AUTHENTICATE'> = {
  states: NOT_AUTHENTICATED,
  async run(session, cmd, deps) {
    if (cmd.mechanism !== 'PLAIN') throw new ImapNo(ImapCodes.cannot, 'Unsupported authentication mechanism');
    requireTls(session);
    let response = cmd.initialResponse;
    if (response === null) {
      session.continuation('');
      const line = await session.readLine();
      if (line === null) throw new ImapBad('Connection closed');
      response = line.toString('latin1').trim();
    }
    if (response === '*') throw new ImapBad('Authentication cancelled');
    if (response === '=') response = '';
    if (!BASE64.test(response) || response.length % 4 !== 0) throw new ImapBad('Invalid base64 data');
    const parts = Buffer.from(response, 'base64').toString('utf8').split('\0');
    if (parts.length !== 3) throw new ImapBad('Invalid PLAIN response');
    const [authzid, authcid, password] = parts as [string, string, string];
    if (authzid && authzid !== authcid) throw new ImapNo(ImapCodes.authenticationFailed, 'Authentication failed');
    return completeLogin(session, deps, authcid, password);
  },
};
