import type { Logger } from 'pino';
import { StoreError, type AccountDeletion, type AccountStore, type Id, type QueueStore, type UserStore, type VacationLog } from '../domain/index.js';

export interface AccountDeletionOptions {
  users: UserStore;
  accounts: AccountStore;
  queue?: QueueStore;
  vacationLog?: VacationLog;
  /** Told once the credentials are revoked (the API's token cache on this node drops them at once). */
  onRevoked?: (userId: Id) => Promise<void> | void;
  logger: Logger;
}

const QUEUE_PAGE = 500;

/**
 * Deletes an account in an order that is safe to crash in and to run again: first the user is
 * disabled and every token and app password revoked (nothing can log in any more), then the
 * queue entries, mail (mailboxes, messages, blob references), addresses and account data go.
 * The store never hands the id to another user (issue 9: a recycled id inherited tokens,
 * app passwords and contacts).
 */
export function createAccountDeletion(opts: AccountDeletionOptions): AccountDeletion {
  const log = opts.logger.child({ component: 'account-deletion' });

  async function dropQueueEntries(userId: Id): Promise<number> {
    if (!opts.queue) return 0;
    let dropped = 0;
    for (let offset = 0; ; ) {
      const page = await opts.queue.list({ limit: QUEUE_PAGE, offset });
      for (const e of page) if (e.userId === userId && (await opts.queue.delete(e.id))) dropped++;
      if (page.length < QUEUE_PAGE) return dropped;
      offset += page.filter((e) => e.userId !== userId).length;
    }
  }

  return {
    async deleteAccount(userId, by) {
      const user = await opts.users.getUser(userId);
      if (!user) throw new StoreError('not_found', 'user not found');
      await opts.users.updateUser(user.id, { disabled: true });
      await opts.accounts.revokeUserTokens(user.id);
      for (const p of await opts.accounts.listAppPasswords(user.id)) await opts.accounts.deleteAppPassword(user.id, p.id);
      await opts.onRevoked?.(user.id);
      const queued = await dropQueueEntries(user.id);
      await opts.vacationLog?.reset(user.id);
      await opts.users.deleteUser(user.id);
      await opts.accounts.deleteUserData(user.id);
      await opts.accounts.audit({
        userId: by.actor === 'cli' ? null : by.actor,
        action: 'account_deleted',
        ip: by.ip ?? null,
        details: { id: user.id, address: user.address, by: by.actor, queueEntries: queued },
      });
      log.info({ event: 'account_deleted', userId: user.id, by: by.actor, queueEntries: queued }, 'account deleted');
    },
  };
}
