/**
 * createImapServer: one IMAP listener (143 with STARTTLS, or 993 implicit TLS) of Heron's own
 * engine (protocol/, session/, commands/, mime/), with its dependencies built here.
 */
import { randomBytes } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AccountStore, BlobStore, ClusterBus, ConnectionGate, LoginPolicy, MailStore, MoveObserver, Notifier, TlsSource, UserStore } from '../domain/index.js';
import { createPasswordOnlyPolicy } from '../auth/password-only-policy.js';
import { COMMANDS } from './commands/index.js';
import { DEFAULT_IMAP_LIMITS, type ImapDeps, type ImapLimits } from './session/deps.js';
import { FlagCache } from './session/flag-cache.js';
import { ThreadCache } from './session/thread-cache.js';
import { createListener } from './session/listener.js';
import { createImapMetrics } from './session/metrics.js';
import type { TlsOptions } from './session/transport.js';

export interface ImapServerOptions {
  users: UserStore;
  mail: MailStore;
  blobs: BlobStore;
  notifier: Notifier;
  /** App passwords, to end sessions whose app password was revoked elsewhere (issue 9). */
  accounts?: Pick<AccountStore, 'listAppPasswords'>;
  /** The cluster bus: a user's revoked credentials are looked at at once, not on the next timer. */
  bus?: ClusterBus;
  /**
   * The one login policy (issue 9) shared with SMTP AUTH and the API. Without one (tests and
   * benches only) the account password is checked with no throttling.
   */
  loginPolicy?: LoginPolicy;
  logger: Logger;
  metrics: Registry;
  hostname: string;
  /** true: implicit TLS from the first byte (993); false: plain with STARTTLS (143). */
  secure: boolean;
  /** The certificate source (SNI answered per handshake), or one fixed key and certificate. */
  tls: TlsSource | { key: Buffer | string; cert: Buffer | string };
  connectionGate?: ConnectionGate;
  moveObserver?: MoveObserver;
  /** Secret for URLAUTH tokens (RFC 4467); random per process when not given. */
  urlAuthSecret?: Buffer;
  limits?: Partial<ImapLimits>;
  /** One ThreadCache for every IMAP listener of the process (else each has its own). */
  threads?: ThreadCache;
  /** One FlagCache for every IMAP listener of the process (else each has its own). */
  flags?: FlagCache;
  /** Tests only: allow LOGIN without TLS on the plain port. Never set in production. */
  allowInsecureAuth?: boolean;
}

export interface ImapServer {
  /** Resolves with the bound port (pass 0 for any free one). */
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

function tlsOptions(tls: ImapServerOptions['tls']): TlsOptions {
  if ('sniCallback' in tls) {
    return { context: () => tls.context(), sniCallback: (name, cb) => tls.sniCallback(name, cb) };
  }
  const context = createSecureContext({ key: tls.key, cert: tls.cert });
  return { context: () => context, sniCallback: (_name, cb) => cb(null, context) };
}

export function createImapServer(opts: ImapServerOptions): ImapServer {
  const limits: ImapLimits = { ...DEFAULT_IMAP_LIMITS, ...(opts.limits ?? {}) };
  const logger = opts.logger.child({ component: 'imap', secure: opts.secure });
  const deps: ImapDeps = {
    users: opts.users,
    mail: opts.mail,
    blobs: opts.blobs,
    loginPolicy: opts.loginPolicy ?? createPasswordOnlyPolicy(opts.users),
    logger,
    metrics: createImapMetrics(opts.metrics),
    limits,
    hostname: opts.hostname,
    urlAuthSecret: opts.urlAuthSecret ?? randomBytes(32),
    threads: opts.threads ?? new ThreadCache(limits.threadCacheMessages),
    flags: opts.flags ?? new FlagCache(limits.flagCacheMessages),
    ...(opts.moveObserver ? { moveObserver: opts.moveObserver } : {}),
  };
  return createListener({
    deps,
    registry: COMMANDS,
    notifier: opts.notifier,
    ...(opts.accounts ? { accounts: opts.accounts } : {}),
    ...(opts.bus ? { bus: opts.bus } : {}),
    secure: opts.secure,
    tls: tlsOptions(opts.tls),
    ...(opts.connectionGate ? { connectionGate: opts.connectionGate } : {}),
    ...(opts.allowInsecureAuth ? { allowInsecureAuth: true } : {}),
    logger,
  });
}
