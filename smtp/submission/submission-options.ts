import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { BlobStore, ConnectionGate, CounterFactory, LoginPolicy, MailStore, PreparedMessage, UserStore } from '../../domain/index.js';
import type { QueueStore } from '../../domain/queue.js';
import type { DeliveryPipeline } from '../../mail/delivery/index.js';
import type { GetDkimKey } from '../../outbound/dkim-sign.js';

export interface SubmissionLimits {
  /** Bytes of DATA; advertised as SIZE (RFC 1870). */
  maxMessageSize: number;
  maxRecipients: number;
  socketTimeoutMs: number;
  maxClients?: number;
  closeTimeoutMs?: number;
  /** Pause before the 220 greeting; commands sent during it get 421. 0: greet at once. */
  greetingDelayMs?: number;
  /** Per user, per rolling hour. */
  messagesPerHour: number;
  recipientsPerHour: number;
  /** Failed AUTH attempts per client address per 15 minutes before 454 (only without a login policy). */
  authFailuresPerIp: number;
  /** Concurrent connections per client address (when no shared connection gate is given). */
  maxConnectionsPerIp?: number;
}

export const SUBMISSION_LIMIT_DEFAULTS: SubmissionLimits = {
  maxMessageSize: 25 * 1024 * 1024,
  maxRecipients: 100,
  socketTimeoutMs: 5 * 60_000,
  maxClients: 500,
  closeTimeoutMs: 5_000,
  messagesPerHour: 300,
  recipientsPerHour: 1_000,
  authFailuresPerIp: 10,
};

/** What submitMessage needs; the SMTP listener adds TLS and limits on top. */
export interface SubmitterOptions {
  users: UserStore;
  mail: MailStore;
  blobs: BlobStore;
  queue: QueueStore;
  /** Local recipients are delivered through the same pipeline as MX mail (checks included). */
  pipeline: DeliveryPipeline;
  /** mail/mime's prepareMessage (for the Sent copy). */
  prepareMessage: (raw: Buffer, blobs: BlobStore) => Promise<PreparedMessage>;
  /** Per-domain DKIM key (server/dkim-keys.ts ensureDkimKey, bound to the data dir). */
  getDkimKey: GetDkimKey;
  hostname: string;
  logger: Logger;
  metrics: Registry;
  /** Called after remote recipients were queued (the outbound worker's wake()). */
  onQueued?: () => void;
  limits?: Partial<SubmissionLimits>;
  /** The process-wide counter factory (limits/): with Redis the per-user limits hold across nodes. */
  counters?: CounterFactory;
}

export interface SubmissionServerOptions extends SubmitterOptions {
  /** true: implicit TLS (465, RFC 8314); false: STARTTLS required before AUTH (587, RFC 6409). */
  secure: boolean;
  tls: { key: string | Buffer; cert: string | Buffer };
  /** The one login policy (auth/), shared with IMAP and the API; server/ always passes it. */
  loginPolicy?: LoginPolicy;
  /** Per-IP connection cap shared by every listener (limits/); listener name 'submission' or 'submissions'. */
  connectionGate?: ConnectionGate;
}
