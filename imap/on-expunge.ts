import type { HookDeps } from './deps.js';
import { expungeKey } from './own-changes.js';
import { ImapCodes, ImapNo } from './response-codes.js';
import { selectedOf } from './session-user.js';
import type { ExpungeUpdate, ImapSession } from './types.js';

/**
 * EXPUNGE, UID EXPUNGE (RFC 4315 2.1) and the silent expunge of CLOSE (RFC 3501 6.4.2).
 * Untagged EXPUNGE responses are written here, highest sequence first is not required:
 * imap-core renumbers its UID list as each one is formatted.
 */
export function createOnExpunge(deps: HookDeps) {
  return async (mailboxId: string, update: ExpungeUpdate, session: ImapSession): Promise<unknown[]> => {
    const sel = selectedOf(session, mailboxId);
    if (sel.readOnly) throw new ImapNo(ImapCodes.readOnly, 'Mailbox is read-only');
    const opts = update.isUid ? { uids: [...(update.messages ?? [])] } : {};
    if (update.isUid && !opts.uids?.length) return [true];
    const expunged = await deps.mail.expunge(String(mailboxId), opts);
    deps.ownChanges.add(String(mailboxId), session.id, expunged.map(expungeKey));
    if (!update.silent) {
      for (const uid of expunged) {
        const response = session.formatResponse('EXPUNGE', uid);
        if (response) session.writeStream.write(response);
      }
    }
    if (expunged.length) deps.logger.info({ cid: session.id, event: 'expunge', mailboxId, count: expunged.length }, 'imap expunge');
    return [true];
  };
}
