import { join } from 'node:path';
import { Resolver } from 'node:dns/promises';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from 'pino';
import { parseSchedule, type Config } from '../config/index.js';
import type { MoveObserver } from '../domain/index.js';
import { createLogger } from './logger.js';
import { openStore } from './open-store.js';
import { ensureTls } from './tls.js';
import { ensureJwtSecret } from './secrets.js';
import { ensureDkimKey } from './dkim-keys.js';
import { parseHostPort } from './host-port.js';
import { describeListenError } from './listen.js';
import { createAccountStore } from '../store/sqlite/accounts/index.js';
import { startBlobSweeper } from '../store/sqlite/blob-sweep.js';
import { createDeliveryPipeline } from '../mail/delivery/index.js';
import { createMessageReader, prepareMessage } from '../mail/message-codec/index.js';
import { createVacationResponder, withVacation } from '../mail/vacation/index.js';
import { createSqliteQueueStore, createSqliteVacationLog } from '../store/sqlite/queue/index.js';
import { createBouncer, createOutboundWorker, type DkimKey } from '../outbound/index.js';
import { createSubmissionServer, createSubmitter } from '../smtp/submission/index.js';
import { createChecks, createRspamdLearner, filterMetrics } from '../filters/index.js';
import { createMxServer } from '../smtp/mx/index.js';
import { createImapServer } from '../imap/index.js';
import { createApiServer, createSmsSender, pipelineDeliver } from '../admin-api/index.js';
import { createCredentialVerifier } from '../admin-api/credentials.js';

interface Listener {
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export interface RunningHeron {
  /** Bound ports by listener name. */
  ports: Record<string, number>;
  logger: Logger;
  close(): Promise<void>;
}

/** A configured DNS server replaces the system resolver (tests point it at a local stub). */
function resolverFor(hostPort: string): Resolver {
  const r = new Resolver({ timeout: 3000, tries: 2 });
  r.setServers([hostPort]);
  return r;
}

/** The composition root: config -> store -> services -> listeners. Nothing imports server/. */
export async function startHeron(config: Config, logger: Logger = createLogger(config)): Promise<RunningHeron> {
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });

  const { store, blobs, notifier } = await openStore(config, logger);
  const closers: Array<() => Promise<void>> = [() => notifier.close(), () => store.close()];
  const closeAll = async () => {
    for (const c of closers.reverse()) await c().catch((err: unknown) => logger.error({ err }, 'close failed'));
  };
  try {
    for (const d of config.domains) {
      await store.users.addDomain(d);
      ensureDkimKey(config.dataDir, d);
    }
    const accounts = createAccountStore(store.db);
    // One login check for IMAP and SMTP AUTH: account password or app password, Gmail-style.
    const credentials = createCredentialVerifier({ users: store.users, accounts });
    const verifyLogin = async (login: string, password: string) => (await credentials(login, password))?.user ?? null;
    const tls = await ensureTls(config);
    const jwtSecret = ensureJwtSecret(config);
    const spoolDir = join(config.dataDir, 'spool');
    const reader = createMessageReader(blobs);

    // One DNS resolver for SPF/DKIM/DMARC and MX lookups when a server is configured.
    const dns = config.filters.dns ? resolverFor(config.filters.dns) : undefined;
    const resolver = dns ? (name: string, rrtype: string) => dns.resolve(name, rrtype) as Promise<never> : undefined;
    const checks = createChecks({
      hostname: config.hostname,
      timeoutMs: config.filters.timeout,
      mailauth: config.filters.mailauth,
      enforceDmarc: config.filters.dmarcEnforce,
      clamdOversize: config.filters.clamdOversize,
      ...(config.filters.clamdMaxScanBytes ? { clamdMaxScanBytes: config.filters.clamdMaxScanBytes } : {}),
      ...(config.filters.rspamdUrl ? { rspamdUrl: config.filters.rspamdUrl } : {}),
      ...(config.filters.clamd ? { clamd: config.filters.clamd } : {}),
      ...(resolver ? { resolver } : {}),
      logger,
      metrics,
    });
    const pipeline = createDeliveryPipeline({
      users: store.users,
      mail: store.mail,
      blobs,
      checks,
      preferences: accounts,
      hostname: config.hostname,
      logger,
      metrics,
      filterFailure: config.filters.failure,
      // A little above the checks' own deadline, so their own timeout error wins.
      checkTimeoutMs: config.filters.timeout + 2000,
    });

    // Outbound: the durable queue, its worker, bounces, and the vacation responder.
    const localDomains = new Set((await store.users.listDomains()).map((d) => d.name));
    const dkimKeys = new Map<string, DkimKey>();
    const getDkimKey = (domain: string): DkimKey | null => {
      if (!localDomains.has(domain)) return null;
      let key = dkimKeys.get(domain);
      if (!key) dkimKeys.set(domain, (key = ensureDkimKey(config.dataDir, domain)));
      return key;
    };
    const queue = createSqliteQueueStore(store.db);
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
      ...(dns ? { resolver: dns } : {}),
    });
    const wake = () => worker.wake();
    const vacation = createVacationResponder({
      preferences: accounts,
      log: createSqliteVacationLog(store.db),
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
      messagesPerHour: config.submission.messagesPerHour,
      recipientsPerHour: config.submission.recipientsPerHour,
      authFailuresPerIp: config.submission.authFailuresPerIp,
    };
    const submitterOptions = {
      users: store.users,
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
          const msg = await store.mail.getMessageById(userId, messageId, ['mimeTree']);
          if (!msg?.mimeTree) throw new Error(`message ${messageId} not found`);
          return reader.message(msg.mimeTree).open();
        },
      });
    }

    const listeners: Array<{ name: string; env: string; port: number; server: () => Listener }> = [
      {
        name: 'smtp',
        env: 'HERON_SMTP_PORT',
        port: config.ports.smtp,
        server: () =>
          createMxServer({
            users: store.users,
            mail: store.mail,
            pipeline: mxPipeline,
            logger,
            metrics,
            hostname: config.hostname,
            tls,
            spoolDir,
            limits: {
              maxMessageSize: config.limits.maxMessageSize,
              maxRecipients: config.limits.maxRecipients,
              maxConnectionsPerIp: config.limits.maxConnectionsPerIp,
              socketTimeoutMs: config.limits.socketTimeout,
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
            verifyLogin,
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
            tls,
            ...(moveObserver ? { moveObserver } : {}),
            verifyLogin,
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
          createApiServer({
            users: store.users,
            mail: store.mail,
            accounts,
            blobs,
            sms: createSmsSender({
              provider: config.sms.provider,
              logger,
              ...(config.sms.webhookUrl ? { webhookUrl: config.sms.webhookUrl } : {}),
              twilio: {
                baseUrl: config.sms.twilio.baseUrl,
                accountSid: config.sms.twilio.accountSid ?? '',
                authToken: config.sms.twilio.authToken ?? '',
                from: config.sms.twilio.from ?? '',
              },
            }),
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
            ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
            otp: { ttlMs: config.auth.otpTtl },
            smsTemplates: config.sms.templates,
          }),
      },
    ];

    const ports: Record<string, number> = {};
    for (const l of listeners) {
      if (l.port === 0) continue;
      const server = l.server();
      try {
        ports[l.name] = await server.listen(l.port, config.bind);
      } catch (err) {
        await server.close().catch(() => undefined);
        throw describeListenError(l.name, config.bind, l.port, l.env, err);
      }
      closers.push(() => server.close());
      logger.info({ listener: l.name, port: ports[l.name], bind: config.bind }, 'listening');
    }
    worker.start();
    closers.push(() => worker.stop());
    const sweeper = startBlobSweeper({ db: store.db, blobs, logger });
    closers.push(async () => sweeper.stop());
    logger.info({ hostname: config.hostname, domains: config.domains, dataDir: config.dataDir, selfSignedTls: tls.selfSigned }, 'heron started');
    return { ports, logger, close: closeAll };
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
}
