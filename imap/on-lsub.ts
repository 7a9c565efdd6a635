import type { HookDeps } from './deps.js';
import { toImapFolder } from './folder-list.js';
import { userIdOf } from './session-user.js';
import type { ImapSession } from './types.js';

/** LSUB (RFC 3501 6.3.9): subscribed mailboxes only. */
export function createOnLsub(deps: HookDeps) {
  return async (_query: string, session: ImapSession): Promise<unknown[]> => {
    const boxes = await deps.mail.listMailboxes(userIdOf(session));
    return [boxes.filter((b) => b.subscribed).map(toImapFolder)];
  };
}
