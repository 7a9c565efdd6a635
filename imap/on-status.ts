import type { HookDeps } from './deps.js';
import { ImapCodes, ImapNo } from './response-codes.js';
import { userIdOf } from './session-user.js';
import type { ImapSession } from './types.js';

/** STATUS (RFC 3501 6.3.10; HIGHESTMODSEQ RFC 7162 3.1.9). RECENT is always 0 (not tracked). */
export function createOnStatus(deps: HookDeps) {
  return async (path: string, session: ImapSession): Promise<unknown[]> => {
    const box = await deps.mail.getMailbox(userIdOf(session), path);
    if (!box) throw new ImapNo(ImapCodes.nonexistent, 'No such mailbox');
    const s = await deps.mail.getMailboxStatus(box.id);
    return [
      {
        messages: s.messages,
        uidNext: s.uidNext,
        uidValidity: s.uidValidity,
        unseen: s.unseen,
        highestModseq: s.highestModseq,
        size: s.size,
      },
    ];
  };
}
