import dns from 'node:dns/promises';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { systemClock, type Clock } from '../domain/clock.js';
import type { ClaimedEntry, QueueStore } from '../domain/queue.js';
import type { Bouncer } from './bouncer.js';
import { DeliveryError } from './delivery-error.js';
import type { DsnRecipient } from './dsn.js';
import { outboundMetrics } from './outbound-metrics.js';
import { nextAttempt } from './retry.js';
import { resolveRoute, type MxResolver, type Smarthost } from './route.js';
import { createSmtpClient, type SmtpClientOptions } from './smtp-client.js';

export interface OutboundWorkerOptions {
  queue: QueueStore;
  bouncer: Bouncer;
  logger: Logger;
  metrics: Registry;
  /** EHLO name and Reporting-MTA. */
  hostname: string;
  /** DNS for MX/A/AAAA; node:dns/promises by default. */
  resolver?: MxResolver;
  /** Relay everything here instead of looking up MX. */
  smarthost?: Smarthost | null;
  /** Remote SMTP port for MX delivery; 25 (tests point it elsewhere). */
  port?: number;
  /** Delays between attempts in ms; the last repeats. */
  retryScheduleMs: number[];
  /** Give up (and bounce) this long after the message was queued. */
  expiryMs: number;
  /** Entries delivered at once, in all. */
  concurrency?: number;
  /** Entries delivered at once per recipient domain (be kind to remote MXs). */
  maxPerDomain?: number;
  /** How long a claim lasts; a worker that dies loses its entries to the next one after this. */
  leaseMs?: number;
  /** Longest sleep between looks at the queue (other processes may enqueue too). */
  pollIntervalMs?: number;
  client?: Partial<SmtpClientOptions>;
  clock?: Clock;
}

export const OUTBOUND_DEFAULTS = {
  port: 25,
  concurrency: 20,
  maxPerDomain: 5,
  leaseMs: 15 * 60_000,
  pollIntervalMs: 30_000,
  client: { connectTimeoutMs: 30_000, socketTimeoutMs: 5 * 60_000, maxIdlePerHost: 10, idleTimeoutMs: 5_000, maxMessagesPerConnection: 100 },
} as const;

export interface OutboundWorker {
  start(): void;
  /** Stops claiming, waits for deliveries in flight, closes pooled connections. */
  stop(): Promise<void>;
  /** Look at the queue now (call after enqueue). */
  wake(): void;
  readonly inFlight: number;
}

/**
 * Queue workers: claim due entries (a lease each), resolve the route, relay, then complete,
 * defer on the retry schedule or bounce. Everything it knows lives in the QueueStore, so a
 * restart, even after kill -9, simply picks the queue up again (leases of the dead run out).
 */
export function createOutboundWorker(opts: OutboundWorkerOptions): OutboundWorker {
  const log = opts.logger.child({ component: 'outbound' });
  const metrics = outboundMetrics(opts.metrics);
  const clock = opts.clock ?? systemClock;
  const resolver: MxResolver = opts.resolver ?? dns;
  const concurrency = opts.concurrency ?? OUTBOUND_DEFAULTS.concurrency;
  const maxPerDomain = opts.maxPerDomain ?? OUTBOUND_DEFAULTS.maxPerDomain;
  const leaseMs = opts.leaseMs ?? OUTBOUND_DEFAULTS.leaseMs;
  const pollMs = opts.pollIntervalMs ?? OUTBOUND_DEFAULTS.pollIntervalMs;
  const client = createSmtpClient({ hostname: opts.hostname, ...OUTBOUND_DEFAULTS.client, ...opts.client });

  let running = false;
  let pumping = false;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  const active = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();

  function schedule(ms: number): void {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void pump();
    }, Math.max(ms, 5));
  }

  async function pump(): Promise<void> {
    if (!running) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      // Bounded: each round either claims work (capped by concurrency) or stops.
      for (let round = 0; round < 100 && running; round++) {
        again = false;
        const free = concurrency - inFlight.size;
        if (free <= 0) break;
        const claimed = await opts.queue.claim({ limit: free, leaseMs, maxPerDomain, active: Object.fromEntries(active), now: clock.now() });
        for (const entry of claimed) run(entry);
        if (claimed.length < free && !again) break;
      }
      if (inFlight.size < concurrency) {
        const next = await opts.queue.nextDue();
        metrics.queued.set(await opts.queue.count());
        const wait = next ? next.getTime() - clock.now().getTime() : pollMs;
        schedule(Math.min(Math.max(wait, 5), pollMs));
      }
    } catch (err) {
      log.error({ err }, 'queue poll failed');
      schedule(Math.min(pollMs, 5_000));
    } finally {
      pumping = false;
      if (again) void pump();
    }
  }

  function run(entry: ClaimedEntry): void {
    active.set(entry.domain, (active.get(entry.domain) ?? 0) + 1);
    metrics.inFlight.inc();
    const p = attempt(entry)
      .catch((err: unknown) => log.error({ err, queueId: entry.id }, 'delivery attempt crashed'))
      .finally(() => {
        const n = (active.get(entry.domain) ?? 1) - 1;
        if (n <= 0) active.delete(entry.domain);
        else active.set(entry.domain, n);
        metrics.inFlight.dec();
        inFlight.delete(p);
        void pump();
      });
    inFlight.add(p);
  }

  async function attempt(entry: ClaimedEntry): Promise<void> {
    const started = process.hrtime.bigint();
    const elog = log.child({ queueId: entry.id, domain: entry.domain });
    const raw = await opts.queue.readMessage(entry.messageId);
    if (!raw) {
      elog.error({ event: 'missing_message' }, 'queued message bytes are gone; dropping entry');
      await opts.queue.fail(entry.id, entry.lease, 'message missing');
      return;
    }

    let delivered: string[] = [];
    let failures: Array<{ recipient: string; error: DeliveryError }>;
    let host: string | null = null;
    try {
      const route = await resolveRoute(entry.domain, { resolver, port: opts.port ?? OUTBOUND_DEFAULTS.port, smarthost: opts.smarthost ?? null });
      const result = await client.deliver(route, entry.sender, entry.recipients, raw);
      delivered = result.delivered;
      failures = result.failed;
      host = result.host;
    } catch (err) {
      const e = err instanceof DeliveryError ? err : new DeliveryError(String(err), { permanent: false, status: '4.0.0' });
      failures = entry.recipients.map((recipient) => ({ recipient, error: e }));
    }
    metrics.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);

    const now = clock.now();
    const permanent = failures.filter((f) => f.error.permanent);
    const temporary = failures.filter((f) => !f.error.permanent);
    const retryAt = temporary.length ? nextAttempt({ attempts: entry.attempts + 1, schedule: opts.retryScheduleMs, createdAt: entry.createdAt, expiryMs: opts.expiryMs, now }) : null;
    const expired = temporary.length > 0 && retryAt === null;
    const toDsn = (list: typeof failures): DsnRecipient[] =>
      list.map((f) => ({ recipient: f.recipient, status: f.error.status, diagnostic: f.error.diagnostic ?? f.error.message, remoteMta: f.error.remoteMta, lastAttempt: now }));

    try {
      if (permanent.length) await opts.bouncer.bounce(entry, raw, toDsn(permanent), 'failed');
      if (expired) await opts.bouncer.bounce(entry, raw, toDsn(temporary), 'expired');
    } catch (err) {
      // The report is not safe yet: keep the entry and try the whole thing again soon.
      elog.error({ err }, 'bounce failed; entry kept');
      await opts.queue.defer(entry.id, entry.lease, {
        recipients: [...permanent, ...temporary].map((f) => f.recipient),
        nextAttemptAt: new Date(now.getTime() + (opts.retryScheduleMs[0] ?? 60_000)),
        error: `bounce failed: ${String(err)}`,
      });
      return;
    }

    metrics.recipients.inc({ result: 'delivered' }, delivered.length);
    metrics.recipients.inc({ result: 'bounced' }, permanent.length);
    if (expired) metrics.recipients.inc({ result: 'expired' }, temporary.length);

    if (temporary.length && retryAt) {
      const error = temporary[0]!.error.diagnostic ?? temporary[0]!.error.message;
      await opts.queue.defer(entry.id, entry.lease, { recipients: temporary.map((f) => f.recipient), nextAttemptAt: retryAt, error });
      metrics.recipients.inc({ result: 'deferred' }, temporary.length);
      metrics.attempts.inc({ outcome: delivered.length || permanent.length ? 'partial' : 'deferred' });
      elog.info({ event: 'deferred', host, delivered, deferred: temporary.map((f) => f.recipient), error, attempts: entry.attempts + 1, retryAt }, 'delivery deferred');
      return;
    }
    const reason = failures.map((f) => f.error.diagnostic ?? f.error.message).join('; ');
    if (failures.length) await opts.queue.fail(entry.id, entry.lease, reason);
    else await opts.queue.complete(entry.id, entry.lease);
    const outcome = failures.length === 0 ? 'delivered' : delivered.length ? 'partial' : 'bounced';
    metrics.attempts.inc({ outcome });
    elog.info({ event: outcome, host, delivered, failed: failures.map((f) => ({ to: f.recipient, status: f.error.status })), attempts: entry.attempts + 1 }, `delivery ${outcome}`);
  }

  return {
    start() {
      if (running) return;
      running = true;
      void pump();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      // Bounded: each pass waits for the current set; nothing new starts once running is false.
      for (let i = 0; i < 10 && inFlight.size; i++) await Promise.allSettled([...inFlight]);
      client.close();
    },
    wake() {
      void pump();
    },
    get inFlight() {
      return inFlight.size;
    },
  };
}
