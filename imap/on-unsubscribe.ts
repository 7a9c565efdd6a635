import type { HookDeps } from './deps.js';
import { userIdOf } from './session-user.js';
import type { ImapSession } from './types.js';

/** UNSUBSCRIBE (RFC 3501 6.3.7). */
export function createOnUnsubscribe(deps: HookDeps) {
  return async (path: string, session: ImapSession): Promise<unknown[]> => {
    await deps.mail.setSubscribed(userIdOf(session), path, false);
    return [true];
  };
}
