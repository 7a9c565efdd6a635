import http from 'node:http';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { UserStore } from '../domain/user.js';
import type { MailStore } from '../domain/mail-store.js';
import type { BlobStore } from '../domain/blob-store.js';
import type { AccountStore } from '../domain/account-store.js';
import type { SmsSender } from '../domain/sms.js';
import type { MoveObserver } from '../domain/training.js';
import type { QueueStore } from '../domain/queue.js';
import type { ClusterBus } from '../domain/cluster.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { createGateway, createHttpListener, createTokenVerifier, type GatewayLimits, type LimitSpec, type RouteMap, type TokenVerifier } from '../gateway/index.js';
import { prepareMessage } from '../mail/mime/index.js';
import type { ApiDeps, LocalDeliver, OtpSettings, PrepareMessage, SubmitMessage } from './deps.js';
import { createOpenApiCollector, type OpenApiCollector } from './openapi.js';
import { DEFAULT_SMS_TEMPLATES, renderTemplate, type SmsTemplateName } from './sms/index.js';
import { authRouter } from './routes/auth.js';
import { profileRouter } from './routes/profile.js';
import { preferencesRouter } from './routes/preferences.js';
import { appPasswordsRouter } from './routes/app-passwords.js';
import { totpRouter } from './routes/totp.js';
import { mailRouter } from './routes/mail.js';
import { searchRouter } from './routes/search.js';
import { sendRouter } from './routes/send.js';
import { contactsRouter } from './routes/contacts.js';
import { groupsRouter } from './routes/groups.js';
import { adminRouter } from './routes/admin.js';
import { adminQueueRouter } from './routes/admin-queue.js';
import { webSessionRouter } from './routes/web-session.js';
import { sessionsRouter } from './routes/sessions.js';
import { conversationsRouter } from './routes/conversations.js';
import { messageBatchRouter } from './routes/message-batch.js';
import { mailboxEditRouter } from './routes/mailbox-edit.js';
import { eventsRouter } from './routes/events.js';
import { draftsRouter } from './routes/drafts.js';
import { messageFrameRouter } from './routes/message-frame.js';
import { createCookieSession } from '../gateway/index.js';
import type { Notifier } from '../domain/changes.js';
import type { AccountDeletion, ConnectionGate, CounterFactory, LoginPolicy } from '../domain/index.js';
import { createCounterFactory } from '../limits/index.js';
import { createLoginPolicy, createSmsGuard, DEFAULT_SMS_LIMITS, type SmsGuard } from '../auth/index.js';
import { createAccountDeletion } from '../accounts/index.js';
import { gateHttpConnections } from './connection-cap.js';

export interface ApiServerOptions {
  users: UserStore;
  mail: MailStore;
  accounts: AccountStore;
  blobs: BlobStore;
  sms: SmsSender;
  /** Local delivery (wire `pipelineDeliver(createDeliveryPipeline(...))`); without it messages go straight to MailStore.deliver. */
  deliver?: LocalDeliver;
  /**
   * Wire `submitter.submitMessage` here: then sending goes through the MSA (DKIM, outbound queue
   * for remote recipients, Sent copy) and `deliver` is not used. Without it remote recipients get 422.
   */
  submit?: SubmitMessage;
  /** Defaults to mail/mime's prepareMessage. */
  prepare?: PrepareMessage;
  jwtSecret: string;
  /** Token lifetime (default 7 days). */
  jwtTtlSec?: number;
  /** How long a token-table lookup is trusted (default 30 s; revocations on this node apply at once). */
  tokenCacheTtlMs?: number;
  primaryDomain: string;
  logger: Logger;
  metrics: Registry;
  /** HERON_REDIS_URL: rate limits shared between nodes. */
  redisUrl?: string;
  /** Prefix of the rate-limit keys in Redis (HERON_REDIS_PREFIX). */
  redisNamespace?: string;
  limits?: Partial<GatewayLimits> & { loginFailures?: LimitSpec; loginFailuresPerIp?: LimitSpec };
  otp?: Partial<OtpSettings>;
  smsTemplates?: Partial<Record<SmsTemplateName, string>>;
  clock?: Clock;
  /** Told of moves between mailboxes (spam learning: into Junk is spam, out of it ham). */
  moveObserver?: MoveObserver;
  /** The outbound queue, for the admin view; `wakeQueue` nudges its worker after a flush. */
  queue?: QueueStore;
  wakeQueue?: () => void;
  /** Store change events: feeds the web app's event stream (GET /v1/events). */
  notifier?: Notifier;
  /** The built web app served at `/` (dist/web); unset: no web app on this listener. */
  webRoot?: string;
  /** Largest attachment upload into a draft (default 25 MB). */
  maxUploadBytes?: number;
  /**
   * server/ passes the process-wide ones (shared with IMAP and SMTP AUTH, Redis-backed when
   * configured); without them the API makes in-memory ones of its own.
   */
  loginPolicy?: LoginPolicy;
  smsGuard?: SmsGuard;
  counters?: CounterFactory;
  deletion?: AccountDeletion;
  /** Per-IP connection cap on the HTTP listener (limits/connection-gate.ts), as listener 'api'. */
  connectionGate?: ConnectionGate;
  /** `/metrics` on this port needs `Authorization: Bearer <token>`; unset: not served here. */
  metricsToken?: string;
  /** Token revocations from every node (server/cluster): a logout anywhere refuses the token here at once. */
  bus?: ClusterBus;
  /** This instance sits behind a front gateway of many nodes (`heron start --role api`): see createGateway. */
  behindGateway?: boolean;
}

export interface ApiServer {
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
  callback(): http.RequestListener;
  readonly routes: RouteMap;
  readonly tokens: TokenVerifier;
  readonly openapi: OpenApiCollector;
}

export const DEFAULT_OTP: OtpSettings = { ttlMs: 10 * 60_000, maxAttempts: 5, resendCooldownMs: 60_000 };
/** Wrong passwords per login name, and per IP, before 429 `login_throttled`. */
export const DEFAULT_LOGIN_FAILURES: LimitSpec = { points: 10, durationSec: 900, blockDurationSec: 900 };
export const DEFAULT_LOGIN_FAILURES_PER_IP: LimitSpec = { points: 100, durationSec: 900, blockDurationSec: 900 };

/** The REST API behind the gateway: builds the services, registers their prefixes, returns the listener. */
export function createApiServer(opts: ApiServerOptions): ApiServer {
  const logger = opts.logger.child({ component: 'api' });
  const tokens = createTokenVerifier({
    secret: opts.jwtSecret,
    accounts: opts.accounts,
    ...(opts.jwtTtlSec !== undefined ? { ttlSec: opts.jwtTtlSec } : {}),
    ...(opts.tokenCacheTtlMs !== undefined ? { cacheTtlMs: opts.tokenCacheTtlMs } : {}),
    ...(opts.bus ? { bus: opts.bus } : {}),
  });
  const session = createCookieSession({ secret: opts.jwtSecret });
  const gateway = createGateway({
    session,
    ...(opts.webRoot ? { webRoot: opts.webRoot } : {}),
    rawBodyPaths: [/^\/v1\/drafts\/[^/]+\/attachments$/],
    logger,
    metrics: opts.metrics,
    tokens,
    ...(opts.redisUrl ? { redisUrl: opts.redisUrl, ...(opts.redisNamespace ? { namespace: opts.redisNamespace } : {}) } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.metricsToken ? { metricsToken: opts.metricsToken } : {}),
    ...(opts.behindGateway ? { behindGateway: true } : {}),
  });
  const templates = { ...DEFAULT_SMS_TEMPLATES, ...opts.smsTemplates };
  const otp = { ...DEFAULT_OTP, ...opts.otp };
  const sendSms: ApiDeps['sendSms'] = async (user, template, code) => {
    if (!user.phone) return;
    const text = renderTemplate(templates[template], { firstName: user.firstName, code });
    try {
      await opts.sms.send({ to: user.phone, text, template, userId: user.id });
    } catch (err) {
      // The code stays valid; the user can ask for a resend once the carrier is back.
      logger.error({ err: (err as Error).message, userId: user.id, template }, 'sms not delivered');
    }
  };
  const counters = opts.counters ?? createCounterFactory();
  const smsGuard = opts.smsGuard ?? createSmsGuard({ counters, limits: DEFAULT_SMS_LIMITS, metrics: opts.metrics });
  const loginPolicy =
    opts.loginPolicy ??
    createLoginPolicy({ users: opts.users, accounts: opts.accounts, counters, smsGuard, logger, otp, sendLoginSms: (user, code) => sendSms(user, 'login', code) });
  const deletion =
    opts.deletion ??
    createAccountDeletion({ users: opts.users, accounts: opts.accounts, logger, ...(opts.queue ? { queue: opts.queue } : {}), onRevoked: (id) => tokens.revokeUser(id) });
  const deps: ApiDeps = {
    users: opts.users,
    mail: opts.mail,
    accounts: opts.accounts,
    blobs: opts.blobs,
    sms: opts.sms,
    tokens,
    limiters: gateway.limiters,
    loginFailures: gateway.limiters.create('login-failures', opts.limits?.loginFailures ?? DEFAULT_LOGIN_FAILURES),
    loginFailuresPerIp: gateway.limiters.create('login-failures-ip', opts.limits?.loginFailuresPerIp ?? DEFAULT_LOGIN_FAILURES_PER_IP),
    ...(opts.deliver ? { deliver: opts.deliver } : {}),
    ...(opts.moveObserver ? { moveObserver: opts.moveObserver } : {}),
    ...(opts.wakeQueue ? { wakeQueue: opts.wakeQueue } : {}),
    ...(opts.submit ? { submit: opts.submit } : {}),
    prepare: opts.prepare ?? ((raw, blobs) => prepareMessage(raw, blobs)),
    session,
    ...(opts.notifier ? { notifier: opts.notifier } : {}),
    maxUploadBytes: opts.maxUploadBytes ?? 25 * 1024 * 1024,
    primaryDomain: opts.primaryDomain.toLowerCase(),
    logger,
    clock: opts.clock ?? systemClock,
    otp,
    smsTemplates: templates,
    sendSms,
    loginPolicy,
    smsGuard,
    deletion,
  };

  const doc = createOpenApiCollector({ title: 'Heron API', version: '1' });
  const services: Array<[string, string[], Router]> = [
    ['auth', ['/v1/auth'], authRouter(deps, doc)],
    ['profile', ['/v1/me/profile', '/v1/me/app-passwords', '/v1/me/totp'], mergeRouters(profileRouter(deps, doc), appPasswordsRouter(deps, doc), totpRouter(deps, doc))],
    ['preferences', ['/v1/me/preferences'], preferencesRouter(deps, doc)],
    ['mail', ['/v1/mailboxes', '/v1/messages', '/v1/threads'], mergeRouters(mailRouter(deps, doc), sendRouter(deps, doc), conversationsRouter(deps, doc), messageBatchRouter(deps, doc), mailboxEditRouter(deps, doc), messageFrameRouter(deps, doc))],
    ['drafts', ['/v1/drafts'], draftsRouter(deps, doc)],
    ['session', ['/v1/session', '/v1/me/sessions'], mergeRouters(webSessionRouter(deps, doc), sessionsRouter(deps, doc))],
    ['events', ['/v1/events'], eventsRouter(deps, doc)],
    ['search', ['/v1/search'], searchRouter(deps, doc)],
    ['contacts', ['/v1/contacts'], contactsRouter(deps, doc)],
    ['groups', ['/v1/groups'], groupsRouter(deps, doc)],
    ['admin', ['/v1/admin'], opts.queue ? mergeRouters(adminRouter(deps, doc), adminQueueRouter(deps, opts.queue, doc)) : adminRouter(deps, doc)],
  ];
  for (const [name, prefixes, router] of services) {
    gateway.routes.register({ name, prefixes, handler: composeRouter(router) });
  }
  gateway.routes.register({
    name: 'docs',
    prefixes: ['/v1/openapi.json'],
    handler: async (ctx) => {
      ctx.body = doc.document();
    },
  });

  const gate = opts.connectionGate;
  const listener = createHttpListener(gateway.app.callback(), gate ? (server, handler) => gateHttpConnections(server, gate, 'api', handler) : undefined);
  return {
    routes: gateway.routes,
    tokens,
    openapi: doc,
    callback: () => gateway.app.callback(),
    listen: (port, host) => listener.listen(port, host),
    async close() {
      await listener.close();
      await gateway.close();
    },
  };
}

function mergeRouters(...routers: Router[]): Router {
  const [first, ...rest] = routers;
  for (const r of rest) first!.use(r.routes());
  return first!;
}

/** A service's router as gateway middleware; unmatched paths fall through to the gateway's 404. */
function composeRouter(router: Router): Middleware {
  return router.routes() as unknown as Middleware;
}
