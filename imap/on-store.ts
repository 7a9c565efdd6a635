import type { HookDeps } from './deps.js';
import { cleanFlags } from './flags.js';
import { flagKey } from './own-changes.js';
import { buildSeqMap, flagsResponse } from './fetch-response.js';
import { ImapCodes, ImapNo } from './response-codes.js';
import { selectedOf } from './session-user.js';
import type { ImapSession, StoreUpdate } from './types.js';

/**
 * STORE / UID STORE (RFC 3501 6.4.6; UNCHANGEDSINCE and MODIFIED, RFC 7162 3.1.3). Untagged
 * FETCH goes out for changed messages unless .SILENT (with CONDSTORE on, MODSEQ is always
 * reported). The journal will carry the same change back: it is marked as ours so imap-core
 * skips it for this session.
 */
export function createOnStore(deps: HookDeps) {
  return async (mailboxId: string, update: StoreUpdate, session: ImapSession): Promise<unknown[]> => {
    const sel = selectedOf(session, mailboxId);
    if (sel.readOnly) throw new ImapNo(ImapCodes.readOnly, 'Mailbox is read-only');
    const flags = cleanFlags(update.value ?? []);
    if (!update.messages.length) return [true, []];
    const result = await deps.mail.updateFlags(String(mailboxId), [...update.messages], {
      action: update.action,
      flags,
      ...(update.unchangedSince ? { unchangedSince: Number(update.unchangedSince) } : {}),
    });
    deps.ownChanges.add(
      String(mailboxId),
      session.id,
      result.updated.map((u) => flagKey(u.uid, u.modseq)),
    );
    const condstore = !!sel.condstoreEnabled;
    if (!update.silent || condstore) {
      const seqOf = buildSeqMap(session);
      for (const u of result.updated) {
        const seq = seqOf.get(u.uid);
        if (!seq) continue;
        session.writeStream.write(
          flagsResponse(seq, { uid: update.isUid ? u.uid : false, flags: update.silent ? false : u.flags, modseq: condstore ? u.modseq : false }),
        );
      }
    }
    return [true, result.modified];
  };
}
