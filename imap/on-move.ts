import type { HookDeps } from './deps.js';
import { notifyMoveObserver, resolveCopyMailboxes } from './copy-target.js';
import { expungeKey } from './own-changes.js';
import { ImapCodes, ImapNo } from './response-codes.js';
import { selectedOf, userIdOf } from './session-user.js';
import type { CopyUpdate, ImapSession } from './types.js';

/**
 * MOVE / UID MOVE (RFC 6851): one store transaction copies and expunges. imap-core puts COPYUID
 * in the tagged OK; the untagged EXPUNGEs for the source are written here (RFC 6851 3.3).
 */
export function createOnMove(deps: HookDeps) {
  return async (mailboxId: string, update: CopyUpdate, session: ImapSession): Promise<unknown[]> => {
    const userId = userIdOf(session);
    const sel = selectedOf(session, mailboxId);
    if (sel.readOnly) throw new ImapNo(ImapCodes.readOnly, 'Mailbox is read-only');
    const { from, to } = await resolveCopyMailboxes(deps, userId, String(mailboxId), update.destination);
    if (!update.messages.length) return [true, { uidValidity: to.uidValidity, sourceUid: [], destinationUid: [] }];
    if (from.id === to.id) throw new ImapNo(ImapCodes.cannot, 'Source and destination are the same mailbox');
    const result = await deps.mail.moveMessages(from.id, [...update.messages], to.id);
    deps.ownChanges.add(from.id, session.id, result.sourceUids.map(expungeKey));
    for (const uid of result.sourceUids) {
      const response = session.formatResponse('EXPUNGE', uid);
      if (response) session.writeStream.write(response);
    }
    deps.logger.info({ cid: session.id, event: 'move', from: from.id, to: to.id, count: result.destinationUids.length }, 'imap move');
    await notifyMoveObserver(deps, userId, from, to, result.destinationUids);
    return [true, { uidValidity: result.uidValidity, sourceUid: result.sourceUids, destinationUid: result.destinationUids }];
  };
}
