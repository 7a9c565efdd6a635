import type { Config } from '../../config/index.js';
import type { ClusterBus, Store } from '../../domain/index.js';
import { openStore, type OpenStoreOptions } from '../open-store.js';
import { createCluster } from '../cluster/index.js';

export interface CliSession {
  store: Store;
  /** Announces changes to running nodes (domains, DKIM keys, revocations); in-process only without Redis. */
  bus: ClusterBus;
}

/**
 * Opens the configured store for one CLI command and closes it after. The CLI publishes no mail
 * change events (a running server's sessions see its writes on their next command), but it does
 * announce configuration changes on the cluster bus, so running nodes pick them up at once.
 */
export async function withStore<T>(config: Config, fn: (s: CliSession) => Promise<T>, opts: Pick<OpenStoreOptions, 'sqliteMmapBytes'> = {}): Promise<T> {
  const store = await openStore(config, { ...opts, notifications: false });
  const cluster = createCluster(config);
  try {
    return await fn({ store, bus: cluster.bus });
  } finally {
    await store.close();
    await cluster.close();
  }
}
