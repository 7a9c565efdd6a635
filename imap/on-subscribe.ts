import type { HookDeps } from './deps.js';
import { userIdOf } from './session-user.js';
import type { ImapSession } from './types.js';

/** SUBSCRIBE (RFC 3501 6.3.6); a missing mailbox is NO [NONEXISTENT] via the store's not_found. */
export function createOnSubscribe(deps: HookDeps) {
  return async (path: string, session: ImapSession): Promise<unknown[]> => {
    await deps.mail.setSubscribed(userIdOf(session), path, true);
    return [true];
  };
}
