import type { HookDeps } from './deps.js';
import { notifyMoveObserver, resolveCopyMailboxes } from './copy-target.js';
import { selectedOf, userIdOf } from './session-user.js';
import type { CopyUpdate, ImapSession } from './types.js';

/** COPY / UID COPY (RFC 3501 6.4.7) with COPYUID (RFC 4315 3). */
export function createOnCopy(deps: HookDeps) {
  return async (_connection: unknown, mailboxId: string, update: CopyUpdate, session: ImapSession): Promise<unknown[]> => {
    const userId = userIdOf(session);
    selectedOf(session, mailboxId);
    const { from, to } = await resolveCopyMailboxes(deps, userId, String(mailboxId), update.destination);
    if (!update.messages.length) return [true, { uidValidity: to.uidValidity, sourceUid: [], destinationUid: [] }];
    const result = await deps.mail.copyMessages(from.id, [...update.messages], to.id);
    deps.logger.info({ cid: session.id, event: 'copy', from: from.id, to: to.id, count: result.destinationUids.length }, 'imap copy');
    await notifyMoveObserver(deps, userId, from, to, result.destinationUids);
    return [true, { uidValidity: result.uidValidity, sourceUid: result.sourceUids, destinationUid: result.destinationUids }];
  };
}
