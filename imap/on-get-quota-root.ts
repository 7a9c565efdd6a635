import type { HookDeps } from './deps.js';
import { ImapCodes, ImapNo } from './response-codes.js';
import { userIdOf } from './session-user.js';
import type { ImapSession } from './types.js';

/** GETQUOTAROOT (RFC 2087 4.3): one storage quota root "" per user, in KiB on the wire. */
export function createOnGetQuotaRoot(deps: HookDeps) {
  return async (path: string, session: ImapSession): Promise<unknown[]> => {
    const userId = userIdOf(session);
    if (!(await deps.mail.getMailbox(userId, path))) throw new ImapNo(ImapCodes.nonexistent, 'No such mailbox');
    const q = await deps.mail.getQuota(userId);
    // An unlimited account (limit 0) has no quota root: "STORAGE used 0" would read as full.
    if (!q.limit) throw new ImapNo(ImapCodes.nonexistent, 'No quota for this account');
    return [{ root: '', quota: q.limit, storageUsed: q.used }];
  };
}
