import type { MailboxStatus, MailStore } from '../../domain/index.js';
import { cachedStatement, parseId, runWrite } from './context.js';
import type { StoreContext } from './context.js';
import { requireMailbox } from './mailbox-rows.js';

type StateMethods = Pick<MailStore, 'getMailboxStatus' | 'listKeywords' | 'claimRecent' | 'urlAuthGeneration'>;

/**
 * Per-mailbox IMAP state: STATUS counts, keywords in use, the \Recent watermark and the URLAUTH
 * key generation. Every count comes from an index on the narrow message rows (mailbox_id with
 * seen, deleted, uid, size), so STATUS of a 50k-message mailbox reads no message data.
 */
export function createMailboxStateMethods(ctx: StoreContext): StateMethods {
  const { db } = ctx;
  return {
    async getMailboxStatus(mailboxId): Promise<MailboxStatus> {
      const mb = requireMailbox(db, parseId(mailboxId));
      const totals = cachedStatement(
        db,
        'SELECT count(*) AS messages, coalesce(sum(size), 0) AS size FROM messages INDEXED BY messages_size WHERE mailbox_id = ?',
      ).get(mb.id) as { messages: number; size: number };
      const count = (sql: string, ...params: unknown[]): number => cachedStatement(db, sql).pluck().get(mb.id, ...params) as number;
      return {
        messages: totals.messages,
        unseen: count('SELECT count(*) FROM messages WHERE mailbox_id = ? AND seen = 0'),
        uidNext: mb.uid_next,
        uidValidity: mb.uid_validity,
        highestModseq: mb.highest_modseq,
        size: totals.size,
        recent: count('SELECT count(*) FROM messages WHERE mailbox_id = ? AND uid > ?', mb.recent_uid),
        deleted: count('SELECT count(*) FROM messages WHERE mailbox_id = ? AND deleted = 1'),
      };
    },

    async listKeywords(mailboxId) {
      const mb = requireMailbox(db, parseId(mailboxId));
      const all = cachedStatement(
        db,
        `SELECT DISTINCT k.value FROM messages m INDEXED BY messages_keywords, json_each(m.keywords) k
         WHERE m.mailbox_id = ? AND m.keywords IS NOT NULL`,
      )
        .pluck()
        .all(mb.id) as string[];
      // Keywords compare case-insensitively (flags.ts keeps the first spelling per message).
      const seen = new Map<string, string>();
      for (const k of all) if (!seen.has(k.toLowerCase())) seen.set(k.toLowerCase(), k);
      return [...seen.values()].sort();
    },

    async claimRecent(mailboxId, upToUid) {
      const up = Math.floor(Number(upToUid));
      return runWrite(ctx, () => {
        const mb = requireMailbox(db, parseId(mailboxId));
        // Never past UIDNEXT-1: a UID not yet assigned cannot have been told to anyone.
        const target = Math.min(Number.isFinite(up) ? up : 0, mb.uid_next - 1);
        if (target > mb.recent_uid) cachedStatement(db, 'UPDATE mailboxes SET recent_uid = ? WHERE id = ?').run(target, mb.id);
        return mb.recent_uid;
      });
    },

    async urlAuthGeneration(mailboxId, opts = {}) {
      if (!opts.reset) return requireMailbox(db, parseId(mailboxId)).urlauth_generation;
      return runWrite(ctx, () => {
        const mb = requireMailbox(db, parseId(mailboxId));
        return cachedStatement(db, 'UPDATE mailboxes SET urlauth_generation = urlauth_generation + 1 WHERE id = ? RETURNING urlauth_generation')
          .pluck()
          .get(mb.id) as number;
      });
    },
  };
}
