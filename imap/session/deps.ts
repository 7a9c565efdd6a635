/** What every command gets, built once per listener by imap/server.ts. */
import type { Logger } from 'pino';
import type { BlobStore, LoginPolicy, MailStore, MoveObserver, UserStore } from '../../domain/index.js';
import type { ProtocolLimits } from '../protocol/limits.js';
import type { ImapMetrics } from './metrics.js';
import type { FlagCache } from './flag-cache.js';
import type { ThreadCache } from './thread-cache.js';

export interface ImapLimits {
  /** Largest message APPEND accepts, bytes (RFC 7889 APPENDLIMIT). */
  maxMessageSize: number;
  /** Open connections per client IP (when no shared ConnectionGate is given). */
  maxConnectionsPerIp: number;
  /** Logged-in sessions per user. */
  maxConnectionsPerUser: number;
  /** Sessions in IDLE per user and per client IP. */
  maxIdlePerUser: number;
  maxIdlePerIp: number;
  /** No input for this long ends the session (RFC 9051 5.4: at least 30 minutes). */
  idleTimeoutMs: number;
  /** `* OK Still here` during IDLE, and TCP keepalive probes. */
  keepaliveMs: number;
  /** Each logged-in user is re-read at most this often (deleted, disabled, app password revoked -> BYE; issue 9). */
  accountCheckMs: number;
  /** Commands per second per user (and per IP before login), with a burst; over it, commands wait. */
  commandsPerSecond: number;
  commandBurst: number;
  /** An APPEND to Sent of a Message-ID filed there this recently is answered with the existing copy (issue 8 item 5). */
  sentDedupWindowMs: number;
  /** Messages whose THREAD fields are kept in memory, over all mailboxes (ThreadCache). */
  threadCacheMessages: number;
  /** Messages whose flags are kept in memory for FETCH FLAGS, over all mailboxes (FlagCache). */
  flagCacheMessages: number;
  protocol: Partial<ProtocolLimits>;
}

export const DEFAULT_IMAP_LIMITS: ImapLimits = {
  maxMessageSize: 50 * 1024 * 1024,
  maxConnectionsPerIp: 50,
  maxConnectionsPerUser: 50,
  maxIdlePerUser: 30,
  maxIdlePerIp: 100,
  idleTimeoutMs: 30 * 60 * 1000,
  keepaliveMs: 2 * 60 * 1000,
  accountCheckMs: 5000,
  commandsPerSecond: 500,
  commandBurst: 5000,
  sentDedupWindowMs: 15 * 60 * 1000,
  threadCacheMessages: 200_000,
  flagCacheMessages: 1_000_000,
  protocol: {},
};

export interface ImapDeps {
  users: UserStore;
  mail: MailStore;
  blobs: BlobStore;
  loginPolicy: LoginPolicy;
  moveObserver?: MoveObserver;
  logger: Logger;
  metrics: ImapMetrics;
  limits: ImapLimits;
  hostname: string;
  /** Server secret for URLAUTH access keys (RFC 4467 7). */
  urlAuthSecret: Buffer;
  /** THREAD's per-mailbox memory, shared by the listeners of one process. */
  threads: ThreadCache;
  /** FETCH FLAGS' per-mailbox memory, shared the same way. */
  flags: FlagCache;
}
