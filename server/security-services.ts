import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config/index.js';
import type {
  AccountDeletion,
  AccountStore,
  BlobStore,
  ConnectionGate,
  CounterFactory,
  LoginPolicy,
  LoginVerifier,
  MailStore,
  PreparedMessage,
  SmsSender,
  UserStore,
  VacationLog,
} from '../domain/index.js';
import type { QueueStore } from '../domain/queue.js';
import { createCounterFactory, createConnectionGate } from '../limits/index.js';
import { createInboxNotifier, createLoginPolicy, createSmsGuard, type SmsGuard } from '../auth/index.js';
import { createAccountDeletion } from '../accounts/index.js';
import { renderTemplate } from '../admin-api/sms/index.js';

/** Listeners that take `limits.maxHttpConnectionsPerIp` (browsers open several connections at once); the rest take `maxConnectionsPerIp`. */
export const HTTP_LISTENERS: readonly string[] = ['api', 'http', 'https'];

export interface SecurityServices {
  counters: CounterFactory;
  connectionGate: ConnectionGate;
  smsGuard: SmsGuard;
  loginPolicy: LoginPolicy;
  /** IMAP's (imap-core adapter) view of the policy. */
  verifyLogin: LoginVerifier;
  deletion: AccountDeletion;
  close(): Promise<void>;
}

/**
 * Builds issue 9's services once per process: one counter factory (Redis-backed when
 * HERON_REDIS_URL is set) for every throttle, one connection gate for every listener, one login
 * policy for IMAP, SMTP AUTH and the API, one account-deletion service for the CLI and the API.
 */
export function createSecurityServices(
  config: Config,
  deps: {
    users: UserStore;
    accounts: AccountStore;
    mail: MailStore;
    blobs: BlobStore;
    queue?: QueueStore;
    vacationLog?: VacationLog;
    sms: SmsSender;
    prepareMessage: (raw: Buffer, blobs: BlobStore) => Promise<PreparedMessage>;
    metrics: Registry;
    logger: Logger;
    /** A shared ioredis client; else one is made from config.redisUrl (and closed here). */
    redis?: Redis;
  },
): SecurityServices {
  const own = !deps.redis && config.redisUrl ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null;
  own?.on('error', (err: Error) => deps.logger.warn({ err: err.message }, 'security counters: redis error'));
  const redis = deps.redis ?? own;
  const counters = createCounterFactory({ namespace: config.redisPrefix, ...(redis ? { redis } : {}) });
  const perListener = Object.fromEntries(HTTP_LISTENERS.map((l) => [l, config.limits.maxHttpConnectionsPerIp]));
  const connectionGate = createConnectionGate({ perIp: config.limits.maxConnectionsPerIp, perListener, metrics: deps.metrics });
  const s = config.security;
  const smsGuard = createSmsGuard({ counters, limits: s.sms, metrics: deps.metrics });
  const seconds = (ms: number) => Math.max(1, Math.round(ms / 1000));
  const throttle = (t: typeof s.loginFailures) => ({ free: t.free, lockAfter: t.lockAfter, windowSec: seconds(t.window), lockSec: seconds(t.lock), maxDelaySec: seconds(t.maxDelay) });
  const log = deps.logger.child({ component: 'security' });
  const loginPolicy = createLoginPolicy({
    users: deps.users,
    accounts: deps.accounts,
    counters,
    smsGuard,
    logger: log,
    otp: { ttlMs: config.auth.otpTtl, maxAttempts: 5 },
    account: throttle(s.loginFailures),
    ip: throttle(s.ipLoginFailures),
    secondFactor: { maxFailures: s.secondFactor.maxFailures, windowSec: seconds(s.secondFactor.window), lockSec: seconds(s.secondFactor.lock) },
    notifier: createInboxNotifier({ mail: deps.mail, blobs: deps.blobs, prepareMessage: deps.prepareMessage, hostname: config.hostname, logger: log }),
    async sendLoginSms(user, code) {
      if (!user.phone) return;
      const text = renderTemplate(config.sms.templates.login, { firstName: user.firstName, code });
      await deps.sms.send({ to: user.phone, text, template: 'login', userId: user.id }).catch((err: unknown) => {
        log.error({ err: (err as Error).message, userId: user.id }, 'login sms not delivered');
      });
    },
  });
  const deletion = createAccountDeletion({
    users: deps.users,
    accounts: deps.accounts,
    logger: log,
    ...(deps.queue ? { queue: deps.queue } : {}),
    ...(deps.vacationLog ? { vacationLog: deps.vacationLog } : {}),
  });
  const verifyLogin: LoginVerifier = async (login, password, client) => {
    const r = await loginPolicy.protocolLogin({ login, password, ip: client?.ip ?? '', protocol: 'imap' });
    return r.ok ? r.user : null;
  };
  return {
    counters,
    connectionGate,
    smsGuard,
    loginPolicy,
    verifyLogin,
    deletion,
    async close() {
      own?.disconnect();
    },
  };
}
