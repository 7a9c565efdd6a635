import type { HookDeps } from './deps.js';
import { checkNewPath } from './mailbox-path.js';
import { userIdOf } from './session-user.js';
import type { ImapSession } from './types.js';

/** CREATE (RFC 3501 6.3.3): parents are created too; an existing name is NO [ALREADYEXISTS]. */
export function createOnCreate(deps: HookDeps) {
  return async (path: string, session: ImapSession): Promise<unknown[]> => {
    const box = await deps.mail.createMailbox(userIdOf(session), checkNewPath(path), { subscribed: true });
    deps.logger.info({ cid: session.id, event: 'mailbox_create', mailboxId: box.id }, 'imap create');
    return [true, box.id];
  };
}
