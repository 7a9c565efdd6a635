/**
 * APPEND (RFC 3501 6.3.11) with MULTIAPPEND (RFC 3502), APPENDUID (RFC 4315 3), APPENDLIMIT
 * (RFC 7889), BINARY literal8 (RFC 3516 4.4), UTF8 (RFC 6855 4) and CATENATE (RFC 4469).
 * OK is sent only after the store committed. MULTIAPPEND is all or nothing: if a later
 * message fails, the earlier ones of the same command are removed again.
 *
 * The Sent copy exists once (issue 8 item 5): a client appending to Sent a message whose
 * Message-ID the submission service filed there moments ago gets the existing UID back.
 */
import type { Mailbox, PreparedMessage } from '../../domain/index.js';
import { encodeBinaryParts, headerValue, prepareMessage, splitHeader } from '../../mail/mime/index.js';
import type { AppendMessage } from '../protocol/commands.js';
import { formatSequenceSet } from '../protocol/sequence-set.js';
import type { CommandSpec } from '../session/command-spec.js';
import type { ImapDeps } from '../session/deps.js';
import { ImapCodes, ImapNo } from '../session/imap-error.js';
import type { Session } from '../session/session.js';
import { catenate } from './catenate.js';
import { cleanFlags } from './flags.js';
import { findMailbox, userIdOf } from './mailbox-names.js';
import { AUTHENTICATED } from './states.js';

interface Ready {
  raw: Buffer;
  flags: string[];
  date: Date;
}

/**
 * The message as it is stored: binary parts (CTE binary, NUL bytes; RFC 3516 4.4 literal8) are
 * re-encoded base64, so BODY[] stays 7-bit-clean and BINARY[] gives the exact bytes back.
 */
async function messageBytes(session: Session, deps: ImapDeps, m: AppendMessage): Promise<Buffer> {
  const raw = m.data.type === 'literal' ? m.data.data : await catenate(session, deps, m.data.parts);
  return encodeBinaryParts(raw);
}

/** The Message-ID of a raw message, from its header only. */
function messageIdOf(raw: Buffer): string | null {
  const block = splitHeader(raw, { maxFields: 500 });
  return headerValue(block, 'message-id');
}

async function existingSentCopy(deps: ImapDeps, box: Mailbox, raw: Buffer): Promise<number | null> {
  if (box.specialUse !== '\\Sent') return null;
  const id = messageIdOf(raw)?.trim();
  if (!id) return null;
  return deps.mail.findByMessageIdHeader(box.id, id, { savedSince: new Date(Date.now() - deps.limits.sentDedupWindowMs) });
}

export const append: CommandSpec<'APPEND'> = {
  states: AUTHENTICATED,
  async run(session, cmd, deps) {
    const box = await findMailbox(session, deps, cmd.mailbox, 'TRYCREATE');
    const userId = userIdOf(session);
    const ready: Ready[] = [];
    for (const m of cmd.messages) {
      const raw = await messageBytes(session, deps, m);
      if (raw.length > deps.limits.maxMessageSize) throw new ImapNo(ImapCodes.tooBig, 'Message too large');
      if (raw.length === 0) throw new ImapNo(ImapCodes.cannot, 'Empty message');
      ready.push({ raw, flags: cleanFlags(m.flags ?? []), date: m.date ?? new Date() });
    }
    if (ready.length === 1) {
      const dup = await existingSentCopy(deps, box, ready[0]!.raw);
      if (dup !== null) {
        session.log.info({ event: 'append_dedup', mailboxId: box.id, uid: dup }, 'imap append matched the Sent copy already filed');
        return { code: 'APPENDUID', codeData: `${box.uidValidity} ${dup}`, text: 'APPEND completed (message already in Sent)' };
      }
    }
    const prepared: PreparedMessage[] = [];
    for (const r of ready) prepared.push(await prepareMessage(r.raw, deps.blobs));
    const uids: number[] = [];
    let uidValidity = box.uidValidity;
    try {
      for (let i = 0; i < prepared.length; i++) {
        const res = await deps.mail.append(userId, box.id, prepared[i]!, { flags: ready[i]!.flags, internalDate: ready[i]!.date });
        uids.push(res.uid);
        uidValidity = res.uidValidity;
      }
    } catch (err) {
      if (uids.length) {
        // RFC 3502 6: MULTIAPPEND is atomic; take back what this command added.
        await deps.mail.updateFlags(box.id, uids, { action: 'add', flags: ['\\Deleted'] }).catch(() => undefined);
        await deps.mail.expunge(box.id, { uids }).catch(() => undefined);
      }
      throw err;
    }
    session.log.info({ event: 'append', mailboxId: box.id, uids, size: prepared.reduce((n, p) => n + p.size, 0) }, 'imap append');
    if (session.selected?.id === box.id) session.selected.dirty = true;
    return { code: 'APPENDUID', codeData: `${uidValidity} ${formatSequenceSet(uids)}`, text: 'APPEND completed' };
  },
};
