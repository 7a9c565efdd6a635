import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from 'pino';
import { parseSchedule, type Config } from '../config/index.js';
import type { MoveObserver } from '../domain/index.js';
import { createLogger } from './logger.js';
import { openStore } from './open-store.js';
import { createCertificates } from './tls/index.js';
import { wellKnownListeners } from './wellknown-wiring.js';
import { logStartupSummary } from './startup-summary.js';
import { ensureJwtSecret, JWT_SECRET } from './secrets.js';
import { createDkimKeyring, ensureDkimKey } from './dkim-keys.js';
import { parseHostPort } from './host-port.js';
import { describeListenError } from './listen.js';
import { startBlobSweeper } from '../store/blob-sweeper.js';
import { startSearchIndexMerger } from './search-index-merger.js';
import { createDeliveryPipeline } from '../mail/delivery/index.js';
import { ParsePool, pooledPrepare } from '../mail/parse-pool/index.js';
import { prepareMessage, readContent } from '../mail/mime/index.js';
import { upgradeLegacyMessages } from './upgrade-legacy.js';
import { createVacationResponder, withVacation } from '../mail/vacation/index.js';
import { createBouncer, createOutboundWorker } from '../outbound/index.js';
import { createSubmissionServer, createSubmitter } from '../smtp/submission/index.js';
import { createChecks, createRspamdLearner, filterMetrics } from '../filters/index.js';
import { createDnsCache } from '../filters/dns-cache/index.js';
import type { DNSResolver } from 'mailauth';
import { createMxServer } from '../smtp/mx/index.js';
import { createImapServer, DEFAULT_IMAP_LIMITS, FlagCache, ThreadCache } from '../imap/index.js';
import { createApiServer, createSmsSender, pipelineDeliver } from '../admin-api/index.js';
import { webRoot } from './web-root.js';
import { createSecurityServices, HTTP_LISTENERS } from './security-services.js';
import { withRoleAddresses } from '../accounts/index.js';
import { createMetricsListener } from './metrics-listener.js';
import { announceRevocations, createCluster, startRegistration } from './cluster/index.js';
import { apiMode, listenerEnabled } from './roles.js';
import { createFrontGateway } from './front-gateway.js';
import { createSharedConnectionGate } from '../store/cluster/shared-connection-gate.js';

interface Listener {
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
  /** TLS listeners that take a new certificate while running. */
  updateTls?(tls: { key: string; cert: string }): void;
}

export interface RunningHeron {
  /** Bound ports by listener name. */
  ports: Record<string, number>;
  logger: Logger;
  /** Re-reads the operator's certificate files (SIGHUP). */
  reloadTls(): void;
  close(): Promise<void>;
}


/** The composition root: config -> store -> services -> listeners. Nothing imports server/. */
export async function startHeron(config: Config, logger: Logger = createLogger(config)): Promise<RunningHeron> {
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });

  const store = await openStore(config, { logger });
  const { blobs, notifier } = store;
  // Shared with every node through Redis when configured: revocations, config changes, the registry.
  const cluster = createCluster(config, logger);
  const closers: Array<() => Promise<void>> = [() => store.close(), () => cluster.close()];
  const closeAll = async () => {
    for (const c of closers.reverse()) await c().catch((err: unknown) => logger.error({ err }, 'close failed'));
  };
  try {
    for (const d of config.domains) {
      await store.users.addDomain(d);
      await ensureDkimKey(store.keys, d, config.dataDir);
    }
    const accounts = announceRevocations(store.accounts, cluster.bus, logger);
    const certs = await createCertificates(config, logger, {
      secrets: store.secrets,
      domains: async () => (await store.users.listDomains()).map((d) => d.name),
      bus: cluster.bus,
    });
    closers.push(async () => certs.close());
    const tls = certs.source.current();
    const jwtSecret = await ensureJwtSecret(config, store.secrets);
    // RFC 4467 URLAUTH keys: one secret for every node, kept across restarts.
    const urlAuthSecret = Buffer.from(await store.secrets.putIfAbsent('imap-urlauth', randomBytes(32).toString('hex')), 'hex');
    // 143 and 993 serve the same mailboxes: one THREAD and one FETCH FLAGS memory for both.
    const threads = new ThreadCache(DEFAULT_IMAP_LIMITS.threadCacheMessages);
    const flags = new FlagCache(DEFAULT_IMAP_LIMITS.flagCacheMessages);
    const spoolDir = join(config.dataDir, 'spool');
    // Data written before the stored-message format 2 is parsed again, before anyone reads it.
    if (store.legacy) await upgradeLegacyMessages({ legacy: store.legacy, blobs, prepare: prepareMessage, logger });

    // One cached resolver for SPF/DKIM/DMARC/ARC and outbound MX lookups: the configured server
    // (tests point it at a local stub), else the system's.
    const dnsCache = createDnsCache(config.filters.dns ? { servers: [config.filters.dns] } : {});
    closers.push(async () => dnsCache.close());
    // MX answers are objects; mailauth's DNSResolver type lists only the string shapes.
    const resolver = dnsCache.resolve as DNSResolver;
    const checks = createChecks({
      hostname: config.hostname,
      timeoutMs: config.filters.timeout,
      mailauth: config.filters.mailauth,
      enforceDmarc: config.filters.dmarcEnforce,
      clamdOversize: config.filters.clamdOversize,
      ...(config.filters.clamdMaxScanBytes ? { clamdMaxScanBytes: config.filters.clamdMaxScanBytes } : {}),
      ...(config.filters.rspamdUrl ? { rspamdUrl: config.filters.rspamdUrl } : {}),
      ...(config.filters.clamd ? { clamd: config.filters.clamd } : {}),
      resolver,
      localDomains: {
        isLocalDomain: (d) => store.users.isLocalDomain(d),
        // getDkimKey is defined below; checks run only after start-up.
        getDkimKey: (d) => getDkimKey(d),
        ...config.security.localDomains,
      },
      logger,
      metrics,
    });
    // Received mail is parsed on worker threads; past the queue's bounds MX answers 451 4.3.2.
    const parsePool = new ParsePool({
      ...(config.ingest.parseWorkers !== undefined ? { size: config.ingest.parseWorkers } : {}),
      maxQueued: config.ingest.parseQueue,
      maxQueuedBytes: config.ingest.parseQueueBytes,
      logger,
      metrics,
    });
    closers.push(() => parsePool.close());
    const pipeline = createDeliveryPipeline({
      users: store.users,
      mail: store.mail,
      blobs,
      checks,
      prepareMessage: pooledPrepare(parsePool),
      preferences: accounts,
      hostname: config.hostname,
      logger,
      metrics,
      filterFailure: config.filters.failure,
      // A little above the checks' own deadline, so their own timeout error wins.
      checkTimeoutMs: config.filters.timeout + 2000,
    });

    // Outbound: the durable queue, its worker, bounces, and the vacation responder.
    const getDkimKey = createDkimKeyring({ users: store.users, keys: store.keys, bus: cluster.bus, legacyDataDir: config.dataDir });
    const queue = store.queue;
    const bouncer = createBouncer({ users: store.users, mail: store.mail, blobs, prepareMessage, queue, hostname: config.hostname, logger });
    const worker = createOutboundWorker({
      queue,
      bouncer,
      logger,
      metrics,
      hostname: config.hostname,
      retryScheduleMs: parseSchedule(config.outbound.retrySchedule),
      expiryMs: config.outbound.expiry,
      smarthost: config.outbound.smarthost ? parseHostPort(config.outbound.smarthost) : null,
      concurrency: config.outbound.concurrency,
      maxPerDomain: config.outbound.maxPerDomain,
      resolver: dnsCache,
    });
    const wake = () => worker.wake();
    const sms = createSmsSender({
      provider: config.sms.provider,
      logger,
      ...(config.sms.webhookUrl ? { webhookUrl: config.sms.webhookUrl } : {}),
      twilio: {
        baseUrl: config.sms.twilio.baseUrl,
        accountSid: config.sms.twilio.accountSid ?? '',
        authToken: config.sms.twilio.authToken ?? '',
        from: config.sms.twilio.from ?? '',
      },
    });
    // Issue 9: one login policy, one connection gate, one deletion service for every listener.
    const security = createSecurityServices(config, {
      users: store.users,
      accounts,
      mail: store.mail,
      blobs,
      queue,
      vacationLog: store.vacation,
      sms,
      prepareMessage,
      metrics,
      logger,
      ...(cluster.redis ? { redis: cluster.redis } : {}),
    });
    closers.push(() => security.close());
    const { loginPolicy } = security;
    let connectionGate = security.connectionGate;
    if (cluster.redis) {
      // With Redis, per-IP connection caps count every node's connections.
      const shared = createSharedConnectionGate({
        local: security.connectionGate,
        redis: cluster.redis,
        prefix: config.redisPrefix,
        limitOf: (listener) => (HTTP_LISTENERS.includes(listener) ? config.limits.maxHttpConnectionsPerIp : config.limits.maxConnectionsPerIp),
        logger,
      });
      closers.push(() => shared.close());
      connectionGate = shared;
    }
    // RFC 2142 / RFC 5321 4.5.1: postmaster@ and abuse@ of every local domain reach its admin.
    const mailUsers = withRoleAddresses(store.users);
    const vacation = createVacationResponder({
      preferences: accounts,
      log: store.vacation,
      queue,
      users: store.users,
      mail: store.mail,
      blobs,
      prepareMessage,
      logger,
      periodMs: config.vacation.period,
      getDkimKey,
      onQueued: wake,
    });
    const mxPipeline = withVacation(pipeline, vacation);
    const submissionLimits = {
      maxMessageSize: config.limits.maxMessageSize,
      maxRecipients: config.limits.maxRecipients,
      socketTimeoutMs: config.limits.socketTimeout,
      greetingDelayMs: config.limits.greetingDelay,
      messagesPerHour: config.submission.messagesPerHour,
      recipientsPerHour: config.submission.recipientsPerHour,
      authFailuresPerIp: config.submission.authFailuresPerIp,
    };
    const submitterOptions = {
      users: mailUsers,
      mail: store.mail,
      blobs,
      queue,
      pipeline,
      prepareMessage,
      getDkimKey,
      hostname: config.hostname,
      logger,
      metrics,
      onQueued: wake,
      limits: submissionLimits,
      counters: security.counters,
    };
    // One submitter for 587, 465 and the API, so per-user rate limits are shared.
    const submitter = createSubmitter(submitterOptions);

    let moveObserver: MoveObserver | undefined;
    if (config.filters.rspamdControllerUrl) {
      moveObserver = createRspamdLearner({
        controllerUrl: config.filters.rspamdControllerUrl,
        ...(config.filters.rspamdPassword ? { password: config.filters.rspamdPassword } : {}),
        timeoutMs: config.filters.timeout,
        logger,
        metrics: filterMetrics(metrics),
        loadRaw: async (userId, messageId) => {
          const msg = await store.mail.getMessageById(userId, messageId, ['content']);
          if (!msg?.content) throw new Error(`message ${messageId} not found`);
          return readContent(msg.content, blobs);
        },
      });
    }

    const mode = apiMode(config.roles);
    let apiServer: ReturnType<typeof createApiServer> | undefined;
    let front: ReturnType<typeof createFrontGateway> | undefined;
    const listeners: Array<{ name: string; env: string; port: number; server: () => Listener }> = [
      {
        name: 'smtp',
        env: 'HERON_SMTP_PORT',
        port: config.ports.smtp,
        server: () =>
          createMxServer({
            users: mailUsers,
            mail: store.mail,
            pipeline: mxPipeline,
            logger,
            metrics,
            hostname: config.hostname,
            tls,
            spoolDir,
            connectionGate,
            counters: security.counters,
            ingestBusy: () => parsePool.saturated,
            limits: {
              maxMessageSize: config.limits.maxMessageSize,
              maxRecipients: config.limits.maxRecipients,
              maxConnectionsPerIp: config.limits.maxConnectionsPerIp,
              socketTimeoutMs: config.limits.socketTimeout,
              greetingDelayMs: config.limits.greetingDelay,
            },
          }),
      },
      ...([false, true] as const).map((secure) => ({
        name: secure ? 'submissions' : 'submission',
        env: secure ? 'HERON_SUBMISSIONS_PORT' : 'HERON_SUBMISSION_PORT',
        port: secure ? config.ports.submissions : config.ports.submission,
        server: () =>
          createSubmissionServer({
            ...submitterOptions,
            submitter,
            secure,
            tls,
            loginPolicy,
            connectionGate,
          }),
      })),
      ...([false, true] as const).map((secure) => ({
        name: secure ? 'imaps' : 'imap',
        env: secure ? 'HERON_IMAPS_PORT' : 'HERON_IMAP_PORT',
        port: secure ? config.ports.imaps : config.ports.imap,
        server: () =>
          createImapServer({
            users: store.users,
            mail: store.mail,
            blobs,
            notifier,
            logger,
            metrics,
            hostname: config.hostname,
            secure,
            // The certificate source: SNI answered on 993 and after STARTTLS, renewals applied per handshake.
            tls: certs.source,
            loginPolicy,
            connectionGate,
            urlAuthSecret,
            threads,
            flags,
            // Sessions of a user deleted or disabled elsewhere (CLI, another node) end (issue 9).
            accounts,
            bus: cluster.bus,
            ...(moveObserver ? { moveObserver } : {}),
            limits: {
              maxMessageSize: config.limits.maxMessageSize,
              maxConnectionsPerIp: config.limits.maxConnectionsPerIp,
              idleTimeoutMs: config.limits.imapIdleTimeout,
            },
          }),
      })),
      {
        name: 'api',
        env: 'HERON_API_PORT',
        port: config.ports.api,
        server: () =>
          mode === 'front'
            ? (front = createFrontGateway({ config, logger, metrics, accounts, jwtSecret, registry: cluster.registry, bus: cluster.bus, webRoot: webRoot(config.web.dir), connectionGate }))
            : (apiServer = createApiServer({
            bus: cluster.bus,
            ...(mode === 'instance' ? { behindGateway: true } : {}),
            users: mailUsers,
            mail: store.mail,
            accounts,
            blobs,
            sms,
            loginPolicy,
            smsGuard: security.smsGuard,
            counters: security.counters,
            deletion: security.deletion,
            connectionGate,
            ...(config.metrics.token ? { metricsToken: config.metrics.token } : {}),
            deliver: pipelineDeliver(pipeline),
            submit: (input) => submitter.submitMessage(input),
            ...(moveObserver ? { moveObserver } : {}),
            queue,
            wakeQueue: wake,
            jwtSecret,
            jwtTtlSec: Math.round(config.auth.tokenTtl / 1000),
            primaryDomain: config.domains[0]!,
            logger,
            metrics,
            ...(config.redisUrl ? { redisUrl: config.redisUrl, redisNamespace: config.redisPrefix } : {}),
            otp: { ttlMs: config.auth.otpTtl },
            smsTemplates: config.sms.templates,
            notifier,
            webRoot: webRoot(config.web.dir),
            maxUploadBytes: config.limits.maxMessageSize,
          })),
      },
      ...wellKnownListeners({ config, certs, users: store.users, logger, fallback: () => apiServer?.callback(), connectionGate }),
      {
        name: 'metrics',
        env: 'HERON_METRICS_PORT',
        port: config.metrics.port,
        // Its own bind address (loopback by default), whatever HERON_BIND says.
        server: () => {
          const m = createMetricsListener(metrics, config.metrics.bind);
          return { listen: (port: number) => m.listen(port), close: () => m.close() };
        },
      },
    ];

    const ports: Record<string, number> = {};
    for (const l of listeners) {
      if (l.port === 0 || !listenerEnabled(l.name, config.roles)) continue;
      const server = l.server();
      try {
        ports[l.name] = await server.listen(l.port, config.bind);
      } catch (err) {
        await server.close().catch(() => undefined);
        throw describeListenError(l.name, config.bind, l.port, l.env, err);
      }
      closers.push(() => server.close());
      if (server.updateTls) {
        const update = server.updateTls.bind(server);
        const off = certs.source.onChange(() => update(certs.source.current()));
        closers.push(async () => void off());
      }
      logger.info({ listener: l.name, port: ports[l.name], bind: config.bind }, 'listening');
    }
    // ACME's http-01 challenges need the HTTP listener up.
    certs.start();
    if (config.roles.includes('queue')) {
      worker.start();
      closers.push(() => worker.stop());
      const sweeper = startBlobSweeper(store.blobSweep, { logger });
      closers.push(async () => sweeper.stop());
    }
    // SQLite's full-text index is merged here, between requests, instead of inside commits.
    if (store.searchIndex) {
      const merger = startSearchIndexMerger(store.searchIndex, { logger });
      closers.push(() => merger.stop());
    }
    // `heron secret rotate jwt` on any node: every node signs and checks with the new secret at once.
    cluster.bus.subscribe((e) => {
      if (e.type !== 'secret' || e.name !== JWT_SECRET || config.auth.jwtSecret) return;
      void store.secrets.get(JWT_SECRET).then((secret) => {
        if (!secret) return;
        for (const t of [apiServer?.tokens, front?.tokens]) t?.rekey(secret);
        logger.info('API token secret rotated');
      });
    });
    const advertised = config.cluster.advertiseHost ?? config.hostname;
    const registration = await startRegistration({
      registry: cluster.registry,
      roles: config.roles,
      ports,
      apiUrl: apiServer && ports.api ? `http://${advertised.includes(':') ? `[${advertised}]` : advertised}:${ports.api}` : null,
      prefixes: apiServer ? apiServer.routes.status().flatMap((r) => r.prefixes) : [],
      intervalMs: config.cluster.heartbeatInterval,
      logger,
    });
    // Leaves the registry first, so gateways stop routing here before the listeners close.
    closers.push(() => registration.stop());
    logger.info({ hostname: config.hostname, domains: config.domains, dataDir: config.dataDir, selfSignedTls: certs.kind() === 'self-signed' }, 'heron started');
    logStartupSummary(logger, config, ports, certs);
    return { ports, logger, reloadTls: () => certs.reload(), close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** `heron start`: runs until SIGTERM/SIGINT, then closes listeners and the store in order. */
export async function runServer(config: Config): Promise<void> {
  const logger = createLogger(config);
  const heron = await startHeron(config, logger);
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    heron.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => heron.reloadTls());
}
