import { StoreError } from '../../domain/index.js';
import type { FlagUpdateResult, MailStore } from '../../domain/index.js';
import { cachedStatement, parseId, runWrite } from './context.js';
import type { StoreContext } from './context.js';
import { applyFlagUpdate, normalizeFlags, sameFlags } from '../flag-rules.js';
import { fromColumns, splitFlags, toColumns } from './flags.js';
import type { FlagColumns } from './flags.js';
import { nextModseq, recordChange } from './journal.js';
import { requireMailbox } from './mailbox-rows.js';
import { uidCondition } from './uid-selector.js';

interface Row extends FlagColumns {
  id: number;
  uid: number;
  modseq: number;
}

/** STORE (RFC 3501 6.4.6) with CONDSTORE's UNCHANGEDSINCE (RFC 7162 3.1.3). */
export function createFlagMethods(ctx: StoreContext): Pick<MailStore, 'updateFlags'> {
  const { db } = ctx;
  return {
    async updateFlags(mailboxId, uids, update): Promise<FlagUpdateResult> {
      if (!update || !['set', 'add', 'remove'].includes(update.action)) throw new StoreError('invalid', 'invalid flag action');
      const flags = normalizeFlags(update.flags);
      const unchangedSince = update.unchangedSince;
      if (unchangedSince !== undefined && (!Number.isSafeInteger(unchangedSince) || unchangedSince < 0)) {
        throw new StoreError('invalid', 'invalid UNCHANGEDSINCE');
      }
      const cond = uidCondition(uids);
      return runWrite(ctx, (fx) => {
        const mb = requireMailbox(db, parseId(mailboxId));
        const rows = db
          .prepare(
            `SELECT id, uid, modseq, seen, answered, flagged, deleted, draft, keywords FROM messages
             WHERE mailbox_id = ? AND ${cond.sql} ORDER BY uid`,
          )
          .all(mb.id, ...cond.params) as Row[];
        const result: FlagUpdateResult = { updated: [], modified: [] };
        const write = cachedStatement(db, 
          'UPDATE messages SET seen = ?, answered = ?, flagged = ?, deleted = ?, draft = ?, keywords = ?, modseq = ? WHERE id = ?',
        );
        let modseq = 0; // allocated on the first real change: a no-op STORE leaves HIGHESTMODSEQ alone
        for (const row of rows) {
          if (unchangedSince !== undefined && row.modseq > unchangedSince) {
            result.modified.push(row.uid);
            continue;
          }
          const current = fromColumns(row);
          const next = applyFlagUpdate(current, update.action, flags);
          if (sameFlags(current, next)) continue;
          if (modseq === 0) modseq = nextModseq(db, mb.id);
          const c = toColumns(splitFlags(next));
          write.run(c.seen, c.answered, c.flagged, c.deleted, c.draft, c.keywords, modseq, row.id);
          const stored = fromColumns(c);
          result.updated.push({ uid: row.uid, flags: stored, modseq });
          recordChange(db, fx, { type: 'flags', userId: String(mb.user_id), mailboxId: String(mb.id), uid: row.uid, modseq, flags: stored });
        }
        return result;
      });
    },
  };
}
