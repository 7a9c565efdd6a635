import type { Logger } from 'pino';
import type { BlobStore, LoginVerifier, MailStore, MoveObserver, UserStore } from '../domain/index.js';
import type { MessageReader } from '../mail/message-codec/index.js';
import type { ImapMetrics } from './metrics.js';
import type { OwnChanges } from './own-changes.js';

export interface ImapLimits {
  /** Largest APPEND literal in bytes (RFC 7889 APPENDLIMIT). */
  maxMessageSize: number;
  /** Open connections per client IP. */
  maxConnectionsPerIp: number;
  /** Idle socket timeout in ms (RFC 3501 5.4: at least 30 minutes when not IDLE-ing). */
  idleTimeoutMs: number;
}

export const DEFAULT_IMAP_LIMITS: ImapLimits = {
  maxMessageSize: 50 * 1024 * 1024,
  maxConnectionsPerIp: 50,
  idleTimeoutMs: 30 * 60 * 1000,
};

/** What every hook handler gets, injected where the hook is bound (server.ts). */
export interface HookDeps {
  users: UserStore;
  mail: MailStore;
  blobs: BlobStore;
  reader: MessageReader;
  logger: Logger;
  metrics: ImapMetrics;
  limits: ImapLimits;
  ownChanges: OwnChanges;
  moveObserver?: MoveObserver;
  /** Account password or app password (server/ wires the accounts service's verifier). */
  verifyLogin: LoginVerifier;
}
