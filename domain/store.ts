import type { UserStore } from './user.js';
import type { MailStore } from './mail-store.js';

/**
 * One backend (SQLite or MongoDB) behind all ports. Other ports (accounts, outbound queue) are
 * added here as they arrive, each in a file of its own in domain/.
 */
export interface Store {
  readonly kind: 'sqlite' | 'mongodb';
  readonly users: UserStore;
  readonly mail: MailStore;
  close(): Promise<void>;
}
