import type { CommandSpec } from '../session/command-spec.js';
import { ImapBad, ImapCodes, ImapNo } from '../session/imap-error.js';
import { AUTHENTICATED } from './states.js';

/** COMPRESS DEFLATE (RFC 4978): raw DEFLATE both ways from right after the tagged OK. */
export const compress: CommandSpec<'COMPRESS'> = {
  states: AUTHENTICATED,
  async run(session, cmd) {
    if (cmd.mechanism !== 'DEFLATE') throw new ImapBad('Unknown compression mechanism');
    if (session.transport.compressed) throw new ImapNo(ImapCodes.compressionActive, 'Compression is already active');
    return { text: 'DEFLATE active', after: () => session.startCompression() };
  },
};
