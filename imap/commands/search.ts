/**
 * SEARCH / UID SEARCH (RFC 3501 6.4.4, RFC 9051 6.4.4) with ESEARCH (RFC 4731), SEARCHRES
 * (RFC 5182), CONDSTORE MODSEQ (RFC 7162 3.1.5), CONTEXT=SEARCH PARTIAL (RFC 5267) and
 * X-GM-RAW. The store answers from its indexes (MailStore.searchUids); the result is the
 * intersection with the session's view, so nothing the client has not been told of appears.
 */
import type { SearchReturn } from '../protocol/commands.js';
import type { SearchKey } from '../protocol/search-keys.js';
import { formatSequenceSet } from '../protocol/sequence-set.js';
import type { CommandSpec } from '../session/command-spec.js';
import type { ImapDeps } from '../session/deps.js';
import type { Session } from '../session/session.js';
import { userIdOf } from './mailbox-names.js';
import { readMessages } from './message-set.js';
import { startContext } from './search-context.js';
import { toSearchQuery } from './search-query.js';
import { SELECTED } from './states.js';

/** UIDs in the view matching the program, ascending, and whether it used MODSEQ. */
export async function searchView(session: Session, deps: ImapDeps, key: SearchKey): Promise<{ uids: number[]; usesModseq: boolean }> {
  const sel = session.selected!;
  const { query, usesModseq } = await toSearchQuery(key, {
    sel,
    mailboxes: () => deps.mail.listMailboxes(userIdOf(session)),
    now: new Date(),
  });
  if (usesModseq) session.enableCondstore();
  const found = await deps.mail.searchUids(sel.id, query);
  return { uids: found.filter((u) => sel.view.has(u)), usesModseq };
}

/** The highest MODSEQ among the messages (RFC 7162 3.1.5). */
export async function highestModseq(session: Session, deps: ImapDeps, uids: number[]): Promise<number> {
  let max = 0;
  if (!uids.length) return max;
  for await (const m of readMessages(deps.mail, session.selected!.id, [...uids].sort((a, b) => a - b), { fields: ['flags'] })) if (m.modseq > max) max = m.modseq;
  return max;
}

/**
 * `* ESEARCH (TAG "x") [UID] MIN .. MAX .. COUNT .. ALL .. PARTIAL (..) MODSEQ ..` (RFC 4731 3.1).
 * `numbers` are in answer order: ascending for SEARCH, sort order for SORT (RFC 5267 3: MIN and
 * MAX are then the first and last of the sorted result).
 */
export function esearchLine(tag: string, uid: boolean, ret: SearchReturn, numbers: number[], modseq: number | null): string {
  const o = ret.options;
  const parts = [`* ESEARCH (TAG "${tag.replace(/["\\]/g, '\\$&')}")`];
  if (uid) parts.push('UID');
  if (numbers.length && o.has('MIN')) parts.push(`MIN ${numbers[0]}`);
  if (numbers.length && o.has('MAX')) parts.push(`MAX ${numbers[numbers.length - 1]}`);
  if (o.has('COUNT')) parts.push(`COUNT ${numbers.length}`);
  // RETURN () means ALL (RFC 4731 3.1).
  if ((o.has('ALL') || o.size === 0) && numbers.length) parts.push(`ALL ${formatSequenceSet(numbers)}`);
  if (o.has('PARTIAL') && ret.partial) {
    const slice = numbers.slice(ret.partial.low - 1, ret.partial.high);
    parts.push(`PARTIAL (${ret.partial.low}:${ret.partial.high} ${slice.length ? formatSequenceSet(slice) : 'NIL'})`);
  }
  if (modseq !== null && numbers.length) parts.push(`MODSEQ ${modseq}`);
  return parts.join(' ') + '\r\n';
}

/**
 * The messages an ESEARCH answer is about, for its MODSEQ (RFC 4731 3.2): only MIN and MAX
 * when those are all that is asked, else every match.
 */
export function returnedUids(ret: SearchReturn, uids: number[]): number[] {
  const o = ret.options;
  if (o.size === 0 || o.has('ALL') || o.has('COUNT') || o.has('PARTIAL') || !(o.has('MIN') || o.has('MAX'))) return uids;
  const out: number[] = [];
  if (o.has('MIN') && uids.length) out.push(uids[0]!);
  if (o.has('MAX') && uids.length) out.push(uids[uids.length - 1]!);
  return out;
}

export const search: CommandSpec<'SEARCH'> = {
  states: SELECTED,
  expungeAllowed: (cmd) => cmd.uid,
  async run(session, cmd, deps) {
    const sel = session.selected!;
    const ret: SearchReturn | null = cmd.returns ?? (session.rev2 ? { options: new Set(['ALL']), partial: null } : null);
    let uids: number[];
    let usesModseq: boolean;
    try {
      ({ uids, usesModseq } = await searchView(session, deps, cmd.key));
    } catch (err) {
      // RFC 5182 2.1: a failed SEARCH ... SAVE leaves `$` empty.
      if (ret?.options.has('SAVE')) sel.saved = [];
      throw err;
    }
    const numbers = cmd.uid ? uids : uids.map((u) => sel.view.seqOf(u));
    const modseq = usesModseq ? await highestModseq(session, deps, ret ? returnedUids(ret, uids) : uids) : null;
    if (!ret) {
      session.writeRaw(`* SEARCH${numbers.length ? ' ' + numbers.join(' ') : ''}${modseq !== null && numbers.length ? ` (MODSEQ ${modseq})` : ''}\r\n`);
      return;
    }
    const o = ret.options;
    if (o.has('SAVE')) {
      // RFC 5182 2.4: with MIN or MAX, only those messages are saved.
      if (o.has('MIN') || o.has('MAX')) sel.saved = [...(o.has('MIN') && uids.length ? [uids[0]!] : []), ...(o.has('MAX') && uids.length > 1 ? [uids[uids.length - 1]!] : [])];
      else sel.saved = uids;
      if (o.size === 1) return;
    }
    session.writeRaw(esearchLine(cmd.tag, cmd.uid, ret, numbers, modseq));
    if (o.has('UPDATE')) startContext(session, cmd.tag, cmd.uid, false, uids, async () => (await searchView(session, deps, cmd.key)).uids);
  },
};
