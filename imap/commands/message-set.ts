/** Sequence sets of message commands resolved against the session's view, and reading messages by UID. */
import type { MailStore, MessageField, MessageRecord, UidSelector } from '../../domain/index.js';
import type { SequenceSet } from '../protocol/sequence-set.js';
import type { SelectedMailbox } from '../session/selected-mailbox.js';

/**
 * UIDs (ascending, in the view) named by a sequence set; `$` is the saved SEARCH result
 * (RFC 5182), minus messages expunged since.
 */
export function resolveSet(sel: SelectedMailbox, set: SequenceSet, byUid: boolean): number[] {
  if (set.saved) return sel.saved.filter((u) => sel.view.has(u));
  return sel.view.resolve(set, byUid);
}

/** A list this short goes to the store as a list; longer ones as their covering range, filtered here. */
const LIST_MAX = 500;

/**
 * How to ask the store for these UIDs (ascending): a dense or long list as one indexed range
 * scan whose rows are kept only when in `wanted` (null: all), since the store's batched reads
 * of a long list would re-read the list per batch; a short sparse one as a list.
 */
export function uidRead(uids: readonly number[]): { selector: UidSelector; wanted: Set<number> | null } {
  if (!uids.length) return { selector: [], wanted: null };
  const lo = uids[0]!;
  const hi = uids[uids.length - 1]!;
  const span = hi - lo + 1;
  const asRange = span === uids.length || span <= uids.length * 4 || uids.length > LIST_MAX;
  return { selector: asRange ? { start: lo, end: hi } : [...uids], wanted: asRange && span !== uids.length ? new Set(uids) : null };
}

/** The messages with these UIDs (ascending), in UID order. */
export async function* readMessages(
  mail: MailStore,
  mailboxId: string,
  uids: readonly number[],
  opts: { fields?: MessageField[]; changedSince?: number } = {},
): AsyncIterable<MessageRecord> {
  if (!uids.length) return;
  const { selector, wanted } = uidRead(uids);
  for await (const m of mail.getMessages(mailboxId, selector, opts)) {
    if (!wanted || wanted.has(m.uid)) yield m;
  }
}
