import { z } from 'zod';
import { hostname } from 'node:os';
import { parseDuration, parseSize, parseSchedule, DEFAULT_RETRY_SCHEDULE } from './durations.js';

const port = z.number().int().min(0).max(65535);
/** A number, or a string read by `parse` (its error message becomes the validation issue). */
function parsedOr(base: z.ZodNumber, parse: (s: string) => number) {
  return z.union([
    base,
    z.string().transform((s, ctx) => {
      try {
        return parse(s);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    }),
  ]);
}
const duration = parsedOr(z.number().int().nonnegative(), parseDuration);
const size = parsedOr(z.number().int().positive(), parseSize);
function validSchedule(text: string): boolean {
  try {
    return parseSchedule(text).length > 0;
  } catch {
    return false;
  }
}
const LETS_ENCRYPT = 'https://acme-v02.api.letsencrypt.org/directory';
const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port');
const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, 'not a valid domain name');

const throttle = (d: { free: number; lockAfter: number; window: number; lock: number }) =>
  z
    .object({
      free: z.number().int().nonnegative().default(d.free).describe('Failures before each further one imposes a growing wait (1 s, 2 s, 4 s ...)'),
      lockAfter: z.number().int().positive().default(d.lockAfter).describe('Failures within the window that lock logins'),
      window: duration.default(d.window).describe('Window the failures are counted in'),
      lock: duration.default(d.lock).describe('How long a lock lasts'),
      maxDelay: duration.default(60_000).describe('Longest wait between two attempts before the lock'),
    })
    .prefault({});
const countryCodes = z.array(z.string().regex(/^\d{1,6}$/, 'calling-code prefix: digits only, e.g. 44'));

/** Issue 9's knobs: login throttling, second factor, SMS spend, local-domain protection. */
const securitySchema = z.object({
  loginFailures: throttle({ free: 5, lockAfter: 20, window: 3_600_000, lock: 900_000 }).describe('Failed logins per account (IMAP, SMTP AUTH, API)'),
  ipLoginFailures: throttle({ free: 20, lockAfter: 100, window: 3_600_000, lock: 3_600_000 }).describe('Failed logins per client IP'),
  secondFactor: z
    .object({
      maxFailures: z.number().int().positive().default(10).describe('Wrong SMS/TOTP codes per account, across challenges, that lock second-factor login'),
      window: duration.default(900_000),
      lock: duration.default(3_600_000),
    })
    .prefault({}),
  sms: z
    .object({
      perPhoneHour: z.number().int().positive().default(3),
      perPhoneDay: z.number().int().positive().default(10),
      perIpHour: z.number().int().positive().default(10),
      perIpDay: z.number().int().positive().default(30),
      perAccountHour: z.number().int().positive().default(5),
      perAccountDay: z.number().int().positive().default(10),
      globalDay: z.number().int().positive().default(1000).describe('All SMS per day; reaching it sets heron_sms_global_cap_reached'),
      allowCountryCodes: countryCodes.default([]).describe('E.164 calling-code prefixes SMS may go to; empty: all'),
      denyCountryCodes: countryCodes.default(['870', '881', '882', '883', '979']).describe('Calling-code prefixes never sent to (satellite, international premium)'),
      registrationsPerIpHour: z.number().int().positive().default(5),
      registrationsPerIpDay: z.number().int().positive().default(20),
    })
    .prefault({}),
  localDomains: z
    .object({
      mode: z.enum(['reject', 'junk', 'off']).default('reject').describe('MX mail whose From is a local domain but not signed with its Heron DKIM key nor from a trusted IP'),
      domains: z.record(z.string(), z.enum(['reject', 'junk', 'off'])).default({}).describe('Per-domain mode overrides'),
      trustedIps: z.array(z.string()).default([]).describe('IPs or CIDRs allowed to send such mail (e.g. a web server that sends as the domain)'),
    })
    .prefault({}),
});

/**
 * Every option Heron reads. Each has a default so `npm start` works with no file at all; the
 * README's configuration table is the user-facing copy of these descriptions.
 */
export const configSchema = z
  .object({
    dataDir: z.string().default('./data').describe('Data directory: SQLite files, blobs, spool, generated keys and certificates'),
    hostname: z.string().min(1).default(hostname()).describe('Server host name used in greetings, Received headers and DKIM'),
    domains: z.array(domainName).min(1).default(['localhost']).describe('Local mail domains, created on start; the first is the primary domain'),
    bind: z.string().default('0.0.0.0').describe('Listen address for every listener'),
    ports: z
      .object({
        smtp: port.default(25).describe('MX (inbound SMTP); 0 turns it off'),
        submission: port.default(587).describe('Submission with STARTTLS; 0 turns it off'),
        submissions: port.default(465).describe('Submission with implicit TLS; 0 turns it off'),
        imap: port.default(143).describe('IMAP with STARTTLS; 0 turns it off'),
        imaps: port.default(993).describe('IMAP with implicit TLS; 0 turns it off'),
        api: port.default(8080).describe('HTTP API gateway, /metrics and /v1/health; 0 turns it off'),
        http: port.default(80).describe('HTTP for the well-known names (autoconfig, autodiscover) and ACME http-01; 0 turns it off'),
        https: port.default(443).describe('HTTPS for the well-known names (autoconfig, autodiscover, .mobileconfig, MTA-STS); 0 turns it off'),
      })
      .default({ smtp: 25, submission: 587, submissions: 465, imap: 143, imaps: 993, api: 8080, http: 80, https: 443 }),
    store: z
      .object({
        kind: z.enum(['sqlite', 'mongodb']).default('sqlite').describe('Storage backend'),
        mongodbUri: z.string().optional().describe('MongoDB connection string (store.kind=mongodb)'),
      })
      .default({ kind: 'sqlite' }),
    redisUrl: z.string().optional().describe('Redis for multi-node notifications, rate limits and the service registry; unset: in-process'),
    redisPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - only')
      .default('heron')
      .describe('Prefix of every Redis key and channel, so installations (or test runs) can share one Redis'),
    roles: z
      .array(z.enum(['mx', 'submission', 'imap', 'api', 'queue', 'gateway']))
      .min(1)
      .default(['mx', 'submission', 'imap', 'api', 'queue', 'gateway'])
      .describe('What this node runs (heron start --role): mx, submission, imap, api, queue, gateway'),
    cluster: z
      .object({
        advertiseHost: z.string().optional().describe('Host name or address the gateway reaches this API instance at; unset: the host name'),
        heartbeatInterval: duration.default(5000).describe('How often a node heartbeats to the service registry'),
        missedHeartbeats: z.number().int().min(1).default(2).describe('Heartbeat intervals a node may miss before gateways stop routing to it'),
      })
      .default({ heartbeatInterval: 5000, missedHeartbeats: 2 }),
    tls: z
      .object({
        cert: z.string().optional().describe('PEM certificate path; unset: a self-signed one is generated into dataDir/tls'),
        key: z.string().optional().describe('PEM private key path'),
        reloadInterval: duration.default(60_000).describe('How often the certificate files are checked for a change (reloaded without a restart; SIGHUP reloads at once)'),
        acme: z
          .object({
            enabled: z.boolean().default(false).describe('Get certificates from an ACME CA (RFC 8555) for the host name and the well-known names; needs the HTTP port reachable'),
            directoryUrl: z.string().url().default(LETS_ENCRYPT).describe('ACME directory URL'),
            email: z.string().optional().describe('Contact address for the ACME account (expiry notices)'),
            renewBefore: duration.default(30 * 86_400_000).describe('Renew this long before the certificate expires'),
            caFile: z.string().optional().describe("PEM CA certificate to trust for the ACME server's own HTTPS (a private ACME CA); unset: the system's CAs"),
          })
          .default({ enabled: false, directoryUrl: LETS_ENCRYPT, renewBefore: 30 * 86_400_000 }),
      })
      .default({ reloadInterval: 60_000, acme: { enabled: false, directoryUrl: LETS_ENCRYPT, renewBefore: 30 * 86_400_000 } }),
    mtaSts: z
      .object({
        mode: z.enum(['enforce', 'testing', 'none']).default('testing').describe('MTA-STS policy mode served at mta-sts.<domain> (RFC 8461 5)'),
        maxAge: duration.default(7 * 86_400_000).describe('MTA-STS policy max_age'),
      })
      .default({ mode: 'testing', maxAge: 7 * 86_400_000 }),
    limits: z
      .object({
        maxMessageSize: size.default(30 * 1024 * 1024).describe('Largest message accepted over SMTP or APPEND (bytes, or 25M)'),
        maxRecipients: z.number().int().positive().default(100).describe('Recipients per SMTP transaction'),
        maxConnectionsPerIp: z.number().int().positive().default(20).describe('Concurrent connections per client IP, per listener'),
        maxHttpConnectionsPerIp: z.number().int().positive().default(100).describe('Concurrent connections per client IP on the HTTP API and the well-known 80/443 listeners'),
        socketTimeout: duration.default(300_000).describe('Idle SMTP socket timeout (RFC 5321 4.5.3.2 suggests 5 min)'),
        greetingDelay: duration.default(0).describe('Pause before the SMTP 220 greeting; clients that talk during it get 421 (0: greet at once, as Postfix smtpd)'),
        imapIdleTimeout: duration.default(1_800_000).describe('IMAP idle timeout (RFC 3501: at least 30 min)'),
        defaultQuota: size.default(10 * 1024 ** 3).describe('Mailbox quota of new users (bytes; 0 = unlimited)'),
      })
      .default({
        maxMessageSize: 30 * 1024 * 1024,
        maxRecipients: 100,
        maxConnectionsPerIp: 20,
        maxHttpConnectionsPerIp: 100,
        socketTimeout: 300_000,
        greetingDelay: 0,
        imapIdleTimeout: 1_800_000,
        defaultQuota: 10 * 1024 ** 3,
      }),
    ingest: z
      .object({
        parseWorkers: z.number().int().nonnegative().optional().describe('Worker threads parsing received mail; unset: one per core; 0: parse on the main thread'),
        parseQueue: z.number().int().positive().default(256).describe('Messages waiting for a parse worker; past it new mail gets 451 4.3.2'),
        parseQueueBytes: size.default(64 * 1024 * 1024).describe('Bytes of the messages waiting for a parse worker; past it new mail gets 451 4.3.2'),
      })
      .default({ parseQueue: 256, parseQueueBytes: 64 * 1024 * 1024 }),
    filters: z
      .object({
        rspamdUrl: z.string().url().optional().describe('rspamd normal worker, e.g. http://127.0.0.1:11333; unset: check off'),
        rspamdControllerUrl: z.string().url().optional().describe('rspamd controller for learning from Junk moves; unset: no learning'),
        rspamdPassword: z.string().optional().describe('rspamd controller password, if set there'),
        clamd: hostPort.optional().describe('clamd host:port; unset: virus check off'),
        mailauth: z.boolean().default(true).describe('SPF/DKIM/DMARC/ARC checks with an Authentication-Results header'),
        dns: hostPort.optional().describe('DNS server host:port for SPF/DKIM/DMARC lookups; unset: the system resolver'),
        dmarcEnforce: z.boolean().default(true).describe('Reject DMARC p=reject failures with 550 5.7.1'),
        clamdOversize: z.enum(['accept', 'reject', 'tempfail']).default('accept').describe('Messages larger than clamd scans: deliver marked unscanned, 552, or 451'),
        clamdMaxScanBytes: size.optional().describe("clamd's StreamMaxLength, so oversize is decided before sending"),
        timeout: duration.default(15_000).describe('Per-filter timeout'),
        failure: z.enum(['tempfail', 'accept']).default('tempfail').describe('What happens when a configured filter is down: 451 4.7.0, or deliver marked unscanned'),
      })
      .default({ mailauth: true, dmarcEnforce: true, clamdOversize: 'accept', timeout: 15_000, failure: 'tempfail' }),
    sms: z
      .object({
        provider: z.enum(['log', 'webhook', 'twilio']).default('log').describe('How one-time codes are sent'),
        webhookUrl: z.string().url().optional().describe('webhook provider: POST JSON {to, text, template, userId} here'),
        twilio: z
          .object({
            accountSid: z.string().optional(),
            authToken: z.string().optional(),
            from: z.string().optional(),
            baseUrl: z.string().url().default('https://api.twilio.com'),
          })
          .default({ baseUrl: 'https://api.twilio.com' }),
        templates: z
          .object({
            registration: z.string().default('Thanks ${firstName} for registering, your one time password is ${code}'),
            login: z.string().default('Your Heron login code is ${code}'),
          })
          .default({
            registration: 'Thanks ${firstName} for registering, your one time password is ${code}',
            login: 'Your Heron login code is ${code}',
          }),
      })
      .default({
        provider: 'log',
        twilio: { baseUrl: 'https://api.twilio.com' },
        templates: {
          registration: 'Thanks ${firstName} for registering, your one time password is ${code}',
          login: 'Your Heron login code is ${code}',
        },
      }),
    auth: z
      .object({
        jwtSecret: z.string().min(32).optional().describe('JWT signing secret (>= 32 chars); unset: generated once into dataDir'),
        tokenTtl: duration.default(86_400_000).describe('Lifetime of an API token'),
        otpTtl: duration.default(600_000).describe('Lifetime of an SMS one-time code'),
      })
      .default({ tokenTtl: 86_400_000, otpTtl: 600_000 }),
    outbound: z
      .object({
        smarthost: hostPort.optional().describe('Relay all remote mail to host:port instead of MX lookup'),
        retrySchedule: z
          .string()
          .refine(validSchedule, 'expected comma-separated durations, e.g. 5m,10m,1h')
          .default(DEFAULT_RETRY_SCHEDULE)
          .describe('Comma-separated delays between delivery attempts; the last repeats until expiry'),
        expiry: duration.default(5 * 86_400_000).describe('Give up and bounce after this long'),
        concurrency: z.number().int().positive().default(20).describe('Deliveries in flight in all'),
        maxPerDomain: z.number().int().positive().default(5).describe('Deliveries in flight per recipient domain'),
      })
      .default({ retrySchedule: DEFAULT_RETRY_SCHEDULE, expiry: 5 * 86_400_000, concurrency: 20, maxPerDomain: 5 }),
    submission: z
      .object({
        messagesPerHour: z.number().int().positive().default(300).describe('Messages a user may submit per rolling hour'),
        recipientsPerHour: z.number().int().positive().default(1000).describe('Recipients a user may submit to per rolling hour'),
        authFailuresPerIp: z.number().int().positive().default(10).describe('Failed AUTH attempts per client IP per 15 minutes'),
      })
      .default({ messagesPerHour: 300, recipientsPerHour: 1000, authFailuresPerIp: 10 }),
    vacation: z
      .object({
        period: duration.default(7 * 86_400_000).describe('At most one vacation reply per sender per this period (RFC 3834)'),
      })
      .default({ period: 7 * 86_400_000 }),
    metrics: z
      .object({
        port: port.default(9464).describe('Prometheus /metrics listener; 0 turns it off'),
        bind: z.string().default('127.0.0.1').describe('Address of the metrics listener (loopback by default: metrics are not public)'),
        token: z.string().min(16).optional().describe('Bearer token that also allows GET /metrics on the API port; unset: not served there'),
      })
      .prefault({}),
    security: securitySchema.prefault({}),
    web: z
      .object({
        dir: z.string().optional().describe('Directory of the built web app served at / on the API port; unset: the one `npm run build` makes (dist/web)'),
      })
      .prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        format: z.enum(['auto', 'json', 'pretty']).default('auto').describe('auto: readable lines on a terminal, JSON lines otherwise'),
      })
      .default({ level: 'info', format: 'auto' }),
  })
  .strict();

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
