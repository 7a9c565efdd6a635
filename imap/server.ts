/**
 * createImapServer: one IMAP listener (143 with STARTTLS, or 993 implicit TLS) on WildDuck's
 * imap-core, with every hook bound to its handler file and dependencies injected here.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { BlobStore, LoginVerifier, MailStore, MoveObserver, Notifier, UserStore } from '../domain/index.js';
import { createMessageReader } from '../mail/message-codec/index.js';
import { createConnectionLimiter } from './connection-limiter.js';
import { DEFAULT_IMAP_LIMITS, type HookDeps, type ImapLimits } from './deps.js';
import { bindHook, loadImapServerClass, routeImapCoreErrors } from './imap-core.js';
import { createImapMetrics } from './metrics.js';
import { createImapNotifier } from './notifier-adapter.js';
import { createOwnChanges } from './own-changes.js';
import type { ImapSession } from './types.js';
import { createOnAuth } from './on-auth.js';
import { createOnList } from './on-list.js';
import { createOnLsub } from './on-lsub.js';
import { createOnSubscribe } from './on-subscribe.js';
import { createOnUnsubscribe } from './on-unsubscribe.js';
import { createOnCreate } from './on-create.js';
import { createOnRename } from './on-rename.js';
import { createOnDelete } from './on-delete.js';
import { createOnOpen } from './on-open.js';
import { createOnStatus } from './on-status.js';
import { createOnAppend } from './on-append.js';
import { createOnStore } from './on-store.js';
import { createOnExpunge } from './on-expunge.js';
import { createOnCopy } from './on-copy.js';
import { createOnMove } from './on-move.js';
import { createOnFetch } from './on-fetch.js';
import { createOnSearch } from './on-search.js';
import { createOnGetQuotaRoot } from './on-get-quota-root.js';
import { createOnGetQuota } from './on-get-quota.js';

export interface ImapServerOptions {
  users: UserStore;
  mail: MailStore;
  blobs: BlobStore;
  notifier: Notifier;
  logger: Logger;
  metrics: Registry;
  hostname: string;
  /** true: implicit TLS from the first byte (993); false: plain with STARTTLS (143). */
  secure: boolean;
  tls: { key: Buffer | string; cert: Buffer | string };
  moveObserver?: MoveObserver;
  /** Login check; default: the account password only (UserStore.verifyPassword). */
  verifyLogin?: LoginVerifier;
  limits?: Partial<ImapLimits>;
  /** Tests only: allow LOGIN without TLS on the plain port. Never set in production. */
  allowInsecureAuth?: boolean;
}

export interface ImapServer {
  /** Resolves with the bound port (pass 0 for any free one). */
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export function createImapServer(opts: ImapServerOptions): ImapServer {
  const limits: ImapLimits = { ...DEFAULT_IMAP_LIMITS, ...(opts.limits ?? {}) };
  const logger = opts.logger.child({ component: 'imap', secure: opts.secure });
  const metrics = createImapMetrics(opts.metrics);
  const ownChanges = createOwnChanges();
  const deps: HookDeps = {
    users: opts.users,
    mail: opts.mail,
    blobs: opts.blobs,
    reader: createMessageReader(opts.blobs, { onMissingBlob: (id) => logger.error({ blobId: id }, 'blob missing while serving a message') }),
    logger,
    metrics,
    limits,
    ownChanges,
    ...(opts.moveObserver ? { moveObserver: opts.moveObserver } : {}),
    verifyLogin: opts.verifyLogin ?? ((login, password) => opts.users.verifyPassword(login, password)),
  };
  const limiter = createConnectionLimiter(limits.maxConnectionsPerIp);

  const IMAPServer = loadImapServerClass();
  routeImapCoreErrors(logger);
  // imap-core logs a lot at info; its own lines are kept to warnings, ours carry the session events.
  const coreLogger = logger.child({ component: 'imap-core' }, { level: 'warn' });
  const server = new IMAPServer({
    secure: opts.secure,
    key: opts.tls.key,
    cert: opts.tls.cert,
    logger: coreLogger,
    // RFC 3501 6.2.3 / 6.2.1: on the plain port LOGIN waits for STARTTLS (LOGINDISABLED).
    ignoreSTARTTLS: !!opts.allowInsecureAuth,
    disableSTARTTLS: false,
    enableCompression: true, // RFC 4978 COMPRESS=DEFLATE
    maxMessage: limits.maxMessageSize, // RFC 7889 APPENDLIMIT
    socketTimeout: limits.idleTimeoutMs,
    skipFetchLog: true,
    closeTimeout: 500,
    id: { name: 'Heron', vendor: 'Heron' },
    useProxy: false,
  });

  const notifier = createImapNotifier({ notifier: opts.notifier, mail: opts.mail, ownChanges, logger });
  server.notifier = notifier;

  const ctx = { logger, metrics };
  const s = server as unknown as Record<string, unknown>;
  s.onConnect = (session: ImapSession, callback: (err?: Error) => void) => {
    if (!limiter.acquire(session.remoteAddress, session.id)) {
      metrics.errors.inc({ hook: 'connect', code: 'LIMIT' });
      logger.warn({ cid: session.id, ip: session.remoteAddress, event: 'connection_limit' }, 'imap connection refused: too many from this address');
      callback(new Error('Too many connections from your address'));
      return;
    }
    // FETCH answers are written in several pieces (head, literal stream, tail); without
    // TCP_NODELAY Nagle's algorithm holds the tail for the peer's delayed ACK (~40 ms each).
    (session as unknown as { socket?: { setNoDelay?: (v: boolean) => void } }).socket?.setNoDelay?.(true);
    metrics.connections.inc({ secure: String(opts.secure) });
    metrics.activeConnections.inc();
    logger.info({ cid: session.id, ip: session.remoteAddress, event: 'connect' }, 'imap connection');
    callback();
  };
  s.onClose = (session: ImapSession, callback: () => void) => {
    if (limiter.release(session.remoteAddress, session.id)) metrics.activeConnections.dec();
    logger.info({ cid: session.id, ip: session.remoteAddress, userId: session.user?.id, event: 'close' }, 'imap connection closed');
    callback();
  };
  s.onAuth = bindHook(ctx, 'auth', createOnAuth(deps), (_code, err) => [err]);
  s.onList = bindHook(ctx, 'list', createOnList(deps), (_code, err) => [err]);
  s.onLsub = bindHook(ctx, 'lsub', createOnLsub(deps), (_code, err) => [err]);
  s.onSubscribe = bindHook(ctx, 'subscribe', createOnSubscribe(deps));
  s.onUnsubscribe = bindHook(ctx, 'unsubscribe', createOnUnsubscribe(deps));
  s.onCreate = bindHook(ctx, 'create', createOnCreate(deps));
  s.onRename = bindHook(ctx, 'rename', createOnRename(deps));
  s.onDelete = bindHook(ctx, 'delete', createOnDelete(deps));
  s.onOpen = bindHook(ctx, 'open', createOnOpen(deps));
  s.onStatus = bindHook(ctx, 'status', createOnStatus(deps));
  s.onAppend = bindHook(ctx, 'append', createOnAppend(deps));
  s.onStore = bindHook(ctx, 'store', createOnStore(deps));
  s.onExpunge = bindHook(ctx, 'expunge', createOnExpunge(deps));
  s.onCopy = bindHook(ctx, 'copy', createOnCopy(deps));
  s.onMove = bindHook(ctx, 'move', createOnMove(deps));
  s.onFetch = bindHook(ctx, 'fetch', createOnFetch(deps));
  s.onSearch = bindHook(ctx, 'search', createOnSearch(deps), (code) => [null, { uidList: code }]);
  s.onGetQuotaRoot = bindHook(ctx, 'getquotaroot', createOnGetQuotaRoot(deps));
  s.onGetQuota = bindHook(ctx, 'getquota', createOnGetQuota(deps));

  server.on('error', (err: unknown) => {
    logger.warn({ err }, 'imap server error');
  });

  let listening = false;
  return {
    listen(port, host) {
      return new Promise<number>((resolve, reject) => {
        const onError = (err: Error): void => reject(err);
        server.server.once('error', onError);
        server.listen(port, host, () => {
          server.server.off('error', onError);
          listening = true;
          const addr = server.server.address() as AddressInfo;
          logger.info({ port: addr.port, host, hostname: opts.hostname, event: 'listen' }, 'imap listening');
          resolve(addr.port);
        });
      });
    },
    close() {
      notifier.close();
      if (!listening) return Promise.resolve();
      listening = false;
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
