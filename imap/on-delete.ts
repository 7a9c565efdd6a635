import type { HookDeps } from './deps.js';
import { ImapCodes, ImapNo } from './response-codes.js';
import { userIdOf } from './session-user.js';
import type { ImapSession } from './types.js';

/**
 * DELETE (RFC 3501 6.3.4). INBOX cannot be deleted; special-use mailboxes are refused too
 * (every user keeps one of each, see CONTRACT), both NO [CANNOT].
 */
export function createOnDelete(deps: HookDeps) {
  return async (path: string, session: ImapSession): Promise<unknown[]> => {
    const userId = userIdOf(session);
    const box = await deps.mail.getMailbox(userId, path);
    if (!box) throw new ImapNo(ImapCodes.nonexistent, 'No such mailbox');
    if (box.specialUse) throw new ImapNo(ImapCodes.cannot, 'Special-use mailboxes cannot be deleted');
    await deps.mail.deleteMailbox(userId, path);
    deps.logger.info({ cid: session.id, event: 'mailbox_delete', mailboxId: box.id }, 'imap delete');
    return [true, box.id];
  };
}
