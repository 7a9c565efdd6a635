import type { MailStore } from '../../domain/index.js';
import { StoreError } from '../../domain/index.js';
import type { SqliteDb } from './db.js';
import { cachedStatement, parseId, runWrite } from './context.js';
import type { StoreContext } from './context.js';
import { normalizeMailboxPath } from '../mailbox-names.js';

/**
 * Subscriptions are names, not mailboxes (RFC 3501 6.3.6, RFC 9051 6.3.7): one may outlive its
 * mailbox (LIST-EXTENDED \NonExistent, RFC 5258) or name one not created yet. The mailbox row's
 * `subscribed` column mirrors this table for the mailbox of the same name.
 */
export function addSubscription(db: SqliteDb, userId: number, path: string): void {
  cachedStatement(db, 'INSERT OR IGNORE INTO subscriptions (user_id, path) VALUES (?, ?)').run(userId, path);
  cachedStatement(db, 'UPDATE mailboxes SET subscribed = 1 WHERE user_id = ? AND path = ?').run(userId, path);
}

export function removeSubscription(db: SqliteDb, userId: number, path: string): void {
  cachedStatement(db, 'DELETE FROM subscriptions WHERE user_id = ? AND path = ?').run(userId, path);
  cachedStatement(db, 'UPDATE mailboxes SET subscribed = 0 WHERE user_id = ? AND path = ?').run(userId, path);
}

/** RENAME takes the subscription along with the name (as Dovecot does); a client need not re-subscribe. */
export function renameSubscription(db: SqliteDb, userId: number, from: string, to: string): void {
  const had = cachedStatement(db, 'DELETE FROM subscriptions WHERE user_id = ? AND path = ? RETURNING 1').get(userId, from) !== undefined;
  if (had) addSubscription(db, userId, to);
  else cachedStatement(db, 'UPDATE mailboxes SET subscribed = EXISTS (SELECT 1 FROM subscriptions WHERE user_id = ? AND path = ?) WHERE user_id = ? AND path = ?').run(userId, to, userId, to);
}

export function createSubscriptionMethods(ctx: StoreContext): Pick<MailStore, 'setSubscribed' | 'listSubscriptions'> {
  const { db } = ctx;
  return {
    async setSubscribed(userId, path, subscribed) {
      const p = normalizeMailboxPath(path);
      await runWrite(ctx, () => {
        const uid = parseId(userId);
        if (uid === null || !cachedStatement(db, 'SELECT 1 FROM users WHERE id = ?').get(uid)) throw new StoreError('not_found', 'user not found');
        if (subscribed) addSubscription(db, uid, p);
        else removeSubscription(db, uid, p);
      });
    },

    async listSubscriptions(userId) {
      return cachedStatement(db, 'SELECT path FROM subscriptions WHERE user_id = ? ORDER BY path').pluck().all(parseId(userId)) as string[];
    },
  };
}
