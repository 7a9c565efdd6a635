/**
 * STORE / UID STORE (RFC 3501 6.4.6) with UNCHANGEDSINCE and MODIFIED (RFC 7162 3.1.3). Every
 * message of the set gets its new FLAGS in an untagged FETCH unless .SILENT; with CONDSTORE on,
 * MODSEQ is reported even for .SILENT. The journal will carry the same changes back: they are
 * noted as this session's own, so they are not sent twice.
 */
import { formatSequenceSet } from '../protocol/sequence-set.js';
import type { CommandSpec } from '../session/command-spec.js';
import { ImapCodes, ImapNo } from '../session/imap-error.js';
import { cleanFlags } from './flags.js';
import { readMessages, resolveSet } from './message-set.js';
import { SELECTED } from './states.js';

export const store: CommandSpec<'STORE'> = {
  states: SELECTED,
  expungeAllowed: (cmd) => cmd.uid,
  async run(session, cmd, deps) {
    const sel = session.selected!;
    if (sel.readOnly) throw new ImapNo(ImapCodes.readOnly, 'Mailbox is read-only');
    const flags = cleanFlags(cmd.flags);
    if (cmd.unchangedSince !== null) session.enableCondstore();
    const uids = resolveSet(sel, cmd.set, cmd.uid);
    if (!uids.length) return;
    const result = await deps.mail.updateFlags(sel.id, uids, {
      action: cmd.action,
      flags,
      ...(cmd.unchangedSince !== null ? { unchangedSince: cmd.unchangedSince } : {}),
    });
    const modified = new Set(result.modified);
    const changed = new Map(result.updated.map((u) => [u.uid, u]));
    for (const u of result.updated) sel.noteOwnFlags(u.uid, u.modseq);
    const condstore = session.condstore;
    if (!cmd.silent || condstore) {
      // Unchanged messages are reported too (their flags are what the client asked for), so
      // their current flags are read once.
      const unchanged = cmd.silent ? [] : uids.filter((u) => !changed.has(u) && !modified.has(u));
      const current = new Map<number, { flags: string[]; modseq: number }>();
      if (unchanged.length) {
        for await (const m of readMessages(deps.mail, sel.id, unchanged, { fields: ['flags'] })) current.set(m.uid, { flags: m.flags, modseq: m.modseq });
      }
      for (const uid of uids) {
        const state = changed.get(uid) ?? current.get(uid);
        const seq = sel.view.seqOf(uid);
        if (!state || !seq) continue;
        if (cmd.silent && !changed.has(uid)) continue;
        const parts: string[] = [];
        if (cmd.uid) parts.push(`UID ${uid}`);
        if (!cmd.silent) {
          session.announceKeywords(state.flags);
          parts.push(`FLAGS (${session.flagAtoms(uid, state.flags).map((a) => (a as { atom: string }).atom).join(' ')})`);
        }
        if (condstore) parts.push(`MODSEQ (${state.modseq})`);
        session.writeRaw(`* ${seq} FETCH (${parts.join(' ')})\r\n`);
      }
    }
    if (modified.size) {
      const list = cmd.uid ? [...modified].sort((a, b) => a - b) : [...modified].map((u) => sel.view.seqOf(u)).filter((s) => s > 0).sort((a, b) => a - b);
      return { code: 'MODIFIED', codeData: formatSequenceSet(list), text: 'Some messages were modified since' };
    }
  },
};
