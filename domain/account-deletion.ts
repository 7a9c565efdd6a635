import type { Id } from './ids.js';

/**
 * Deleting an account (issue 9): every path (CLI, admin API) goes through this one service. It
 * disables the user and revokes every token and app password first, then removes mail,
 * blob references, contacts, groups, queue entries and account data. User ids are never reused.
 */
export interface AccountDeletion {
  deleteAccount(userId: Id, by: { actor: Id | 'cli'; ip?: string | null }): Promise<void>;
}
