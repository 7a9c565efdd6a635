import type { HookDeps } from './deps.js';
import { toSearchQuery } from './search-query.js';
import { readSelector, selectedOf } from './session-user.js';
import type { ImapSearchTerm, ImapSession } from './types.js';

/**
 * SEARCH / UID SEARCH (RFC 3501 6.4.4): mapped to a SearchQuery and answered by the store's
 * indexes (MailStore.searchUids), never by reading messages. With CONDSTORE (RFC 7162 3.1.5)
 * the answer carries the highest MODSEQ of the matches.
 */
export function createOnSearch(deps: HookDeps) {
  return async (mailboxId: string, options: { query: ImapSearchTerm[] }, session: ImapSession): Promise<unknown[]> => {
    selectedOf(session, mailboxId);
    const query = toSearchQuery(options.query);
    const uids = await deps.mail.searchUids(String(mailboxId), query);
    const known = new Set((session.selected && session.selected.uidList) || []);
    const uidList = uids.filter((u) => known.has(u));
    let highestModseq = 0;
    if (uidList.length && (options as { terms?: string[] }).terms?.includes('modseq')) {
      const { selector, wanted } = readSelector(uidList);
      for await (const m of deps.mail.getMessages(String(mailboxId), selector, { fields: ['flags'] })) {
        if ((!wanted || wanted.has(m.uid)) && m.modseq > highestModseq) highestModseq = m.modseq;
      }
    }
    return [{ uidList, highestModseq }];
  };
}
