/**
 * One IMAP listening socket: plain with STARTTLS (143) or implicit TLS (993), both answering SNI
 * through the TLS source's callback. Accepts connections within the per-IP cap, starts a
 * Session for each, and runs the housekeeping every session needs: the idle timeout, the IDLE
 * keepalive (`* OK Still here`, as Dovecot sends) and TCP keepalive.
 */
import net, { type AddressInfo, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { AccountStore, ClusterBus, ConnectionGate, ConnectionTicket, Notifier } from '../../domain/index.js';
import { AccountWatch } from './account-watch.js';
import type { CommandRegistry } from './command-spec.js';
import type { ImapDeps } from './deps.js';
import { NotifyHub } from './notify-hub.js';
import { RateGate } from './rate-gate.js';
import { serverTls } from './server-tls.js';
import { Session, type ListenerContext } from './session.js';
import type { TlsOptions } from './transport.js';

export interface ListenerOptions {
  deps: ImapDeps;
  registry: CommandRegistry;
  notifier: Notifier;
  /** For ending sessions of app passwords revoked elsewhere. */
  accounts?: Pick<AccountStore, 'listAppPasswords'>;
  /** Revocations announced by other processes and nodes. */
  bus?: ClusterBus;
  secure: boolean;
  tls: TlsOptions;
  /** Shared per-IP cap (server/); without one, a cap of limits.maxConnectionsPerIp is kept here. */
  connectionGate?: ConnectionGate;
  /** Tests only: LOGIN without TLS on the plain port. */
  allowInsecureAuth?: boolean;
  logger: Logger;
  /** Housekeeping period (tests shorten it). */
  tickMs?: number;
}

export interface ImapListener {
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
  readonly sessions: ReadonlySet<Session>;
}

/** The per-IP cap kept locally when no shared gate is wired. */
function localGate(max: number): ConnectionGate {
  const open = new Map<string, number>();
  return {
    async acquire(_listener, ip) {
      const n = open.get(ip) ?? 0;
      if (max > 0 && n >= max) return null;
      open.set(ip, n + 1);
      let done = false;
      return {
        release() {
          if (done) return;
          done = true;
          const left = (open.get(ip) ?? 1) - 1;
          if (left <= 0) open.delete(ip);
          else open.set(ip, left);
        },
      };
    },
  };
}

export function createListener(opts: ListenerOptions): ImapListener {
  const { deps } = opts;
  const limits = deps.limits;
  const logger = opts.logger;
  const gate = opts.connectionGate ?? localGate(limits.maxConnectionsPerIp);
  const sessions = new Set<Session>();
  const idle = new Map<string, number>();
  const hub = new NotifyHub<Session>(opts.notifier, (err) => logger.error({ err }, 'imap change fan-out failed'));
  const accountWatch = new AccountWatch({
    users: deps.users,
    ...(opts.accounts ? { accounts: opts.accounts } : {}),
    ...(opts.bus ? { bus: opts.bus } : {}),
    intervalMs: limits.accountCheckMs,
    logger,
    userIds: () => hub.userIds(),
    sessionsOf: (userId) => hub.sessionsOf(userId),
  });
  const ctx: ListenerContext = {
    deps,
    registry: opts.registry,
    secure: opts.secure,
    tls: opts.secure ? null : opts.tls,
    loginNeedsTls: !opts.allowInsecureAuth,
    hub,
    accountWatch,
    rate: new RateGate(limits.commandsPerSecond, limits.commandBurst),
    sessions,
    idleCount(key, delta) {
      const n = (idle.get(key) ?? 0) + delta;
      if (n <= 0) idle.delete(key);
      else idle.set(key, n);
      return n;
    },
    logger,
  };

  /** `tcp` is the connection under `socket` (the same socket on the plain port). */
  const accept = (socket: Socket, tcp: Socket = socket): void => {
    tcp.setNoDelay(true);
    tcp.setKeepAlive(true, Math.min(limits.keepaliveMs, 60_000));
    const ip = tcp.remoteAddress ?? '';
    let ticket: ConnectionTicket | null = null;
    // Listener names as in limits/ and the metrics: 143 and 993 are capped (and counted) apart.
    gate.acquire(opts.secure ? 'imaps' : 'imap', ip).then(
      (t) => {
        if (socket.destroyed) {
          t?.release();
          return;
        }
        ticket = t;
        const session = new Session(socket, ctx, ip);
        socket.once('close', () => {
          ticket?.release();
          deps.metrics.activeConnections.dec();
        });
        deps.metrics.connections.inc({ secure: String(opts.secure) });
        deps.metrics.activeConnections.inc();
        if (!ticket) {
          logger.warn({ ip, event: 'connection_limit' }, 'imap connection refused: too many from this address');
          session.start({ bye: 'Too many connections from your address' });
          return;
        }
        sessions.add(session);
        session.log.info({ event: 'connect', secure: opts.secure }, 'imap connection');
        session.start();
      },
      (err: unknown) => {
        logger.error({ err }, 'imap connection gate failed');
        socket.destroy();
      },
    );
  };

  /**
   * Implicit TLS (RFC 8314): the session starts once the handshake is done, within 30 s. Each
   * handshake takes the certificate in force then, so a reloaded one serves from the next
   * connection on (TLS 1.2 at least: Node's default, kept in the shared SecureContext).
   */
  const handshake = (tcp: Socket): void => {
    const secure = serverTls(tcp, opts.tls);
    let done = false;
    const timer = setTimeout(() => secure.destroy(), 30_000);
    secure.on('error', (err) => {
      if (!done) logger.debug({ err }, 'imap TLS handshake failed');
      secure.destroy();
    });
    secure.once('close', () => clearTimeout(timer));
    secure.once('secure', () => {
      done = true;
      clearTimeout(timer);
      accept(secure, tcp);
    });
  };

  const server = net.createServer(opts.secure ? handshake : (socket) => accept(socket));
  server.on('error', (err) => logger.warn({ err }, 'imap listener error'));

  // One timer for every session: idle timeouts and IDLE keepalives without a timer each.
  const tick = setInterval(() => {
    const now = Date.now();
    for (const s of sessions) {
      if (now - s.lastInput > limits.idleTimeoutMs) {
        s.untaggedStatus('BYE', 'Autologout; idle for too long');
        void s.close();
      } else if (s.idling && now - s.lastKeepalive >= limits.keepaliveMs) {
        s.lastKeepalive = now;
        s.untaggedStatus('OK', 'Still here');
        s.flush();
      }
    }
    ctx.rate.prune();
    accountWatch.sweep();
  }, opts.tickMs ?? Math.max(100, Math.min(30_000, limits.keepaliveMs, limits.idleTimeoutMs / 4, limits.accountCheckMs)));
  tick.unref();

  let listening = false;
  return {
    sessions,
    listen(port, host) {
      return new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          listening = true;
          const addr = server.address() as AddressInfo;
          logger.info({ port: addr.port, host, secure: opts.secure, event: 'listen' }, 'imap listening');
          resolve(addr.port);
        });
      });
    },
    async close() {
      clearInterval(tick);
      accountWatch.close();
      hub.close();
      const closing = listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
      listening = false;
      for (const s of sessions) {
        s.untaggedStatus('BYE', 'Server shutting down');
        s.flush();
        s.transport.destroy();
      }
      await closing;
    },
  };
}
