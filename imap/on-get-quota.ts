import type { HookDeps } from './deps.js';
import { ImapCodes, ImapNo } from './response-codes.js';
import { userIdOf } from './session-user.js';
import type { ImapSession } from './types.js';

/** GETQUOTA (RFC 2087 4.2): only the root "" exists. */
export function createOnGetQuota(deps: HookDeps) {
  return async (root: string, session: ImapSession): Promise<unknown[]> => {
    if (root !== '') throw new ImapNo(ImapCodes.nonexistent, 'No such quota root');
    const q = await deps.mail.getQuota(userIdOf(session));
    // An unlimited account (limit 0) has no quota root: "STORAGE used 0" would read as full.
    if (!q.limit) throw new ImapNo(ImapCodes.nonexistent, 'No quota for this account');
    return [{ root: '', quota: q.limit, storageUsed: q.used }];
  };
}
