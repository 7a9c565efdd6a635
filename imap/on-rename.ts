import type { HookDeps } from './deps.js';
import { checkNewPath } from './mailbox-path.js';
import { ImapCodes, ImapNo } from './response-codes.js';
import { userIdOf } from './session-user.js';
import type { ImapSession } from './types.js';

/** RENAME (RFC 3501 6.3.5): children move along; renaming INBOX moves its messages (store). */
export function createOnRename(deps: HookDeps) {
  return async (path: string, newPath: string, session: ImapSession): Promise<unknown[]> => {
    const target = checkNewPath(newPath);
    if (target === path) throw new ImapNo(ImapCodes.alreadyExists, 'Mailbox already exists');
    if (target.startsWith(path + '/')) throw new ImapNo(ImapCodes.cannot, 'Cannot move a mailbox into itself');
    const box = await deps.mail.renameMailbox(userIdOf(session), path, target);
    deps.logger.info({ cid: session.id, event: 'mailbox_rename', mailboxId: box.id }, 'imap rename');
    return [true, box.id];
  };
}
