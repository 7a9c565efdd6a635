import type { UserStore } from './user.js';
import type { MailStore } from './mail-store.js';
import type { AccountStore } from './account-store.js';
import type { QueueStore } from './queue.js';
import type { VacationLog } from './vacation-log.js';
import type { BlobStore } from './blob-store.js';
import type { BlobSweep } from './blob-sweep.js';
import type { DkimKeyStore, SecretStore } from './keys.js';
import type { Notifier } from './changes.js';
import type { LegacyMessages } from './message-text.js';
import type { SearchIndexMaintenance } from './search-index.js';

/**
 * One backend (SQLite or MongoDB) behind every port: the only way server/ and the CLI reach
 * storage. Each port has one contract suite (test/store/contract/) that every backend passes.
 * `notifier` is where the mail store publishes its change events after each commit (in-process,
 * or Redis pub/sub where nodes are many).
 */
export interface Store {
  readonly kind: 'sqlite' | 'mongodb';
  readonly users: UserStore;
  readonly mail: MailStore;
  readonly accounts: AccountStore;
  readonly queue: QueueStore;
  readonly vacation: VacationLog;
  readonly blobs: BlobStore;
  readonly blobSweep: BlobSweep;
  readonly keys: DkimKeyStore;
  readonly secrets: SecretStore;
  readonly notifier: Notifier;
  /** Messages stored in a format older than today's, for server/ to upgrade at start (SQLite data dirs from before format 2). */
  readonly legacy?: LegacyMessages;
  /** Background upkeep of the full-text index, for server/ to run from a timer (SQLite; absent where the index keeps itself). */
  readonly searchIndex?: SearchIndexMaintenance;
  /** Closes the backend and the notifier. */
  close(): Promise<void>;
}
