/**
 * SORT / UID SORT (RFC 5256 3) with SORT=DISPLAY (RFC 5957), ESORT and CONTEXT=SORT's PARTIAL
 * (RFC 5267). The store orders by the SortKeys computed at delivery (base subject, first
 * addresses upper-cased, the Date header's instant), so no message is read here; ties keep
 * sequence order (RFC 5256 3).
 */
import type { MessageSortKey } from '../../domain/index.js';
import type { SortCriterion, SortKey } from '../protocol/commands.js';
import type { CommandSpec } from '../session/command-spec.js';
import type { ImapDeps } from '../session/deps.js';
import type { Session } from '../session/session.js';
import { uidRead } from './message-set.js';
import { startContext } from './search-context.js';
import { esearchLine, highestModseq, returnedUids, searchView } from './search.js';
import { SELECTED } from './states.js';

const STORE_KEYS: Record<SortKey, MessageSortKey> = {
  ARRIVAL: 'arrival',
  CC: 'cc',
  DATE: 'date',
  FROM: 'from',
  SIZE: 'size',
  SUBJECT: 'subject',
  TO: 'to',
  DISPLAYFROM: 'displayFrom',
  DISPLAYTO: 'displayTo',
};

/** The UIDs (in the view) in SORT order: the store orders by the criteria in turn, then by UID, which is sequence order (RFC 5256 3). */
async function sortedUids(session: Session, deps: ImapDeps, uids: number[], criteria: readonly SortCriterion[]): Promise<number[]> {
  if (!uids.length) return [];
  const sel = session.selected!;
  const { selector, wanted } = uidRead(uids);
  const sorted = await deps.mail.sortUids(
    sel.id,
    selector,
    criteria.map((c) => ({ key: STORE_KEYS[c.key], reverse: c.reverse })),
  );
  // Only the matches (of a covering range), and none expunged from the view meanwhile.
  return sorted.filter((u) => (!wanted || wanted.has(u)) && sel.view.has(u));
}

export const sort: CommandSpec<'SORT'> = {
  states: SELECTED,
  expungeAllowed: (cmd) => cmd.uid,
  async run(session, cmd, deps) {
    const { uids, usesModseq } = await searchView(session, deps, cmd.key);
    const sorted = await sortedUids(session, deps, uids, cmd.criteria);
    const sel = session.selected!;
    const numbers = cmd.uid ? sorted : sorted.map((u) => sel.view.seqOf(u));
    if (cmd.returns) {
      const modseq = usesModseq ? await highestModseq(session, deps, returnedUids(cmd.returns, sorted)) : null;
      session.writeRaw(esearchLine(cmd.tag, cmd.uid, cmd.returns, numbers, modseq));
      if (cmd.returns.options.has('UPDATE')) {
        startContext(session, cmd.tag, cmd.uid, true, sorted, async () => sortedUids(session, deps, (await searchView(session, deps, cmd.key)).uids, cmd.criteria));
      }
      return;
    }
    const modseq = usesModseq && numbers.length ? ` (MODSEQ ${await highestModseq(session, deps, sorted)})` : '';
    session.writeRaw(`* SORT${numbers.length ? ' ' + numbers.join(' ') : ''}${modseq}\r\n`);
  },
};
