import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { BlobStore } from '../domain/index.js';
import { createApiServer, createSmsSender, type ApiServer } from '../admin-api/index.js';
import { createAccountStore } from '../store/sqlite/accounts/index.js';
import type { SqliteStore } from '../store/sqlite/index.js';

/**
 * The REST API over `store`, as server/ wires it but with every rate limit lifted: the benches
 * measure the handlers and the store, not the limiter. SMS goes to the (silent) log.
 */
export function createBenchApi(store: SqliteStore, blobs: BlobStore): ApiServer {
  const logger = pino({ level: 'silent' });
  const unlimited = { points: 1e9, durationSec: 1 };
  return createApiServer({
    users: store.users,
    mail: store.mail,
    accounts: createAccountStore(store.db),
    blobs,
    sms: createSmsSender({ provider: 'log', logger }),
    jwtSecret: 'bench-secret-bench-secret-bench-secret',
    primaryDomain: 'bench.test',
    logger,
    metrics: new Registry(),
    limits: { perIp: unlimited, perAccount: unlimited, loginFailures: unlimited, loginFailuresPerIp: unlimited },
  });
}
