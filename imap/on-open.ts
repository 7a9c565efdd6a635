import type { HookDeps } from './deps.js';
import { ImapCodes, ImapNo } from './response-codes.js';
import { userIdOf } from './session-user.js';
import type { ImapSession } from './types.js';

/**
 * SELECT / EXAMINE (RFC 3501 6.3.1-2; HIGHESTMODSEQ RFC 7162). The UID list is the session's
 * sequence-number map; `_id` (our mailbox id) is what imap-core hands to every later hook.
 * The status is read before the UID list, and UIDs at or above its UIDNEXT are left out: a message
 * arriving in between is then reported once, by the journal (its modseq is above the returned
 * HIGHESTMODSEQ), instead of twice or never.
 */
export function createOnOpen(deps: HookDeps) {
  return async (path: string, session: ImapSession): Promise<unknown[]> => {
    const box = await deps.mail.getMailbox(userIdOf(session), path);
    if (!box) throw new ImapNo(ImapCodes.nonexistent, 'No such mailbox');
    const status = await deps.mail.getMailboxStatus(box.id);
    const uidList = (await deps.mail.listUids(box.id)).filter((uid) => uid < status.uidNext);
    return [
      {
        _id: box.id,
        specialUse: box.specialUse,
        uidValidity: status.uidValidity,
        uidNext: status.uidNext,
        modifyIndex: status.highestModseq,
        uidList,
      },
    ];
  };
}
