import { prepareMessage } from '../mail/message-codec/index.js';
import type { HookDeps } from './deps.js';
import { cleanFlags } from './flags.js';
import { ImapCodes, ImapNo } from './response-codes.js';
import { userIdOf } from './session-user.js';
import type { ImapSession } from './types.js';

/**
 * APPEND (RFC 3501 6.3.11, APPENDUID RFC 4315): the message is parsed, its blobs written, and
 * the store commits before we answer OK. Too large is NO [TOOBIG] (RFC 4469); a missing
 * mailbox is NO [TRYCREATE]; over quota is NO [OVERQUOTA] (RFC 5530).
 */
export function createOnAppend(deps: HookDeps) {
  return async (path: string, flags: unknown[], date: unknown, raw: Buffer, session: ImapSession): Promise<unknown[]> => {
    const userId = userIdOf(session);
    if (raw.length > deps.limits.maxMessageSize) throw new ImapNo(ImapCodes.tooBig, 'Message too large');
    const box = await deps.mail.getMailbox(userId, path);
    if (!box) throw new ImapNo(ImapCodes.tryCreate, 'No such mailbox');
    const cleaned = cleanFlags(Array.isArray(flags) ? flags : []);
    let internalDate = date ? new Date(String(date)) : new Date();
    if (Number.isNaN(internalDate.getTime())) internalDate = new Date();
    const prepared = await prepareMessage(raw, deps.blobs);
    const result = await deps.mail.append(userId, box.id, prepared, { flags: cleaned, internalDate });
    deps.logger.info({ cid: session.id, event: 'append', mailboxId: box.id, uid: result.uid, size: prepared.size }, 'imap append');
    return [true, { uidValidity: result.uidValidity, uid: result.uid }];
  };
}
