import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ConnectionGate, CounterFactory, MailStore, UserStore } from '../../domain/index.js';
import type { DeliveryPipeline } from '../../mail/delivery/index.js';

export interface MxLimits {
  /** Bytes of DATA; advertised as SIZE (RFC 1870) and enforced while spooling. */
  maxMessageSize: number;
  /** Recipients per transaction (RFC 5321 4.5.3.1.8 asks for at least 100). */
  maxRecipients: number;
  maxConnectionsPerIp: number;
  /** Idle time while the client owes us input. */
  socketTimeoutMs: number;
  /** Command line length; RFC 5321 4.5.3.1.4 sets 512 as the floor, extensions need more. */
  maxCommandLength?: number;
  /** Bytes of the header block; the codec parses headers in memory, so they get their own cap. */
  maxHeaderSize?: number;
  /** Unknown/denied RCPTs per session before 421 (slows address harvesting). */
  maxBadRecipients?: number;
  /** MAIL FROM per client address per minute; 0 or unset: no limit. */
  messagesPerMinutePerIp?: number;
  /** Whole-server connection cap. */
  maxClients?: number;
  /** How long close() lets sessions finish before forcing them shut. */
  closeTimeoutMs?: number;
  /** Pause before the 220 greeting (postscreen-style early-talker trap); 0: greet at once. */
  greetingDelayMs?: number;
}

export interface MxServerOptions {
  users: UserStore;
  mail: MailStore;
  pipeline: DeliveryPipeline;
  logger: Logger;
  metrics: Registry;
  hostname: string;
  tls: { key: string | Buffer; cert: string | Buffer };
  /** The process-wide per-IP connection cap (limits/), as listener 'smtp'; default: one of its own from `limits`. */
  connectionGate?: ConnectionGate;
  /** The process-wide counter factory (limits/): with Redis the per-IP message rate holds across nodes. */
  counters?: CounterFactory;
  /** Scratch directory for incoming DATA; swept of leftovers on listen. */
  spoolDir: string;
  limits: MxLimits;
  /** PTR lookup of clients for the Received header. Off by default: it can stall offline. */
  reverseLookup?: boolean;
  /** True while intake is saturated (the parse pool's queue is full): MAIL FROM then gets 451 4.3.2. */
  ingestBusy?: () => boolean;
}

export const MX_LIMIT_DEFAULTS = {
  maxCommandLength: 4096,
  maxHeaderSize: 1024 * 1024,
  maxBadRecipients: 20,
  maxClients: 1000,
  closeTimeoutMs: 5000,
} as const;

/** MX's spool files are `mx-<queueId>.eml`; the directory is shared with other services. */
export const MX_SPOOL_PREFIX = 'mx-';
