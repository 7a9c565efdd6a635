import type { BlobStore, Notifier, Store, User } from '../../../domain/index.js';

/**
 * What a backend's test file hands the contract suite. `reopen` closes the store and opens a new
 * one on the same data (persistence checks); `notifier` is the one the store publishes to.
 */
export interface StoreHarness {
  store: Store;
  blobs: BlobStore;
  notifier: Notifier;
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}

export type StoreFactory = () => Promise<StoreHarness>;

export const DOMAIN = 'example.test';

let counter = 0;

/** A fresh user per test keeps tests independent inside one store. */
export async function newUser(store: Store, opts: { quota?: number; password?: string } = {}): Promise<User> {
  await store.users.addDomain(DOMAIN);
  const name = `u${process.pid}x${++counter}`;
  return store.users.createUser({
    username: name,
    address: `${name}@${DOMAIN}`,
    password: opts.password ?? 'correct horse battery',
    quota: opts.quota ?? 0,
  });
}

export async function inboxOf(store: Store, user: User) {
  const mb = await store.mail.getMailbox(user.id, 'INBOX');
  if (!mb) throw new Error('no INBOX');
  return mb;
}
