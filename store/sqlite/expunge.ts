import type { MailStore } from '../../domain/index.js';
import { parseId, runWrite } from './context.js';
import type { StoreContext } from './context.js';
import { nextModseq, recordChange } from './journal.js';
import { requireMailbox } from './mailbox-rows.js';
import { deleteMessageRows, ID_LIST } from './message-rows.js';
import { uidCondition } from './uid-selector.js';

/** EXPUNGE (RFC 3501 6.4.3) and UID EXPUNGE (RFC 4315 2.1): only messages flagged \Deleted go. */
export function createExpungeMethods(ctx: StoreContext): Pick<MailStore, 'expunge'> {
  const { db } = ctx;
  return {
    async expunge(mailboxId, opts = {}) {
      const cond = opts.uids !== undefined ? uidCondition(opts.uids) : { sql: '1', params: [] };
      return runWrite(ctx, (fx) => {
        const mb = requireMailbox(db, parseId(mailboxId));
        const rows = db
          .prepare(`SELECT id, uid FROM messages WHERE mailbox_id = ? AND deleted = 1 AND ${cond.sql} ORDER BY uid`)
          .all(mb.id, ...cond.params) as Array<{ id: number; uid: number }>;
        if (rows.length === 0) return [];
        const modseq = nextModseq(db, mb.id);
        deleteMessageRows(db, fx, ID_LIST, [JSON.stringify(rows.map((r) => r.id))]);
        for (const r of rows) {
          recordChange(db, fx, { type: 'expunge', userId: String(mb.user_id), mailboxId: String(mb.id), uid: r.uid, modseq });
        }
        return rows.map((r) => r.uid);
      });
    },
  };
}
