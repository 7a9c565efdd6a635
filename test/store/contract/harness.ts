import type { BlobStore, Notifier, Store, User } from '../../../domain/index.js';
import type { BackendInfo, StoreHarness as BackendHarness } from '../backends.js';

/**
 * What a contract section reads: the backend's harness (test/store/backends.ts) with the blob
 * store and notifier of its current Store at hand. `reopen` closes the store and opens a new one
 * on the same data (persistence checks).
 */
export interface StoreHarness {
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly notifier: Notifier;
  readonly backend: BackendInfo;
  reopen(): Promise<Store>;
}

export function mailHarness(get: () => BackendHarness): () => StoreHarness {
  return () => {
    const b = get();
    return {
      get store() {
        return b.store;
      },
      get blobs() {
        return b.store.blobs;
      },
      get notifier() {
        return b.store.notifier;
      },
      backend: b.backend,
      reopen: () => b.reopen(),
    };
  };
}

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
