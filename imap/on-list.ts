import type { HookDeps } from './deps.js';
import { toImapFolder } from './folder-list.js';
import { userIdOf } from './session-user.js';
import type { ImapSession } from './types.js';

/** LIST (RFC 3501 6.3.8, SPECIAL-USE RFC 6154): imap-core matches the pattern and adds \HasChildren. */
export function createOnList(deps: HookDeps) {
  return async (_query: string, session: ImapSession): Promise<unknown[]> => {
    const boxes = await deps.mail.listMailboxes(userIdOf(session));
    return [boxes.map(toImapFolder)];
  };
}
