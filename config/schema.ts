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
const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port');
const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, 'not a valid domain name');

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
      })
      .default({ smtp: 25, submission: 587, submissions: 465, imap: 143, imaps: 993, api: 8080 }),
    store: z
      .object({
        kind: z.enum(['sqlite', 'mongodb']).default('sqlite').describe('Storage backend'),
        mongodbUri: z.string().optional().describe('MongoDB connection string (store.kind=mongodb)'),
      })
      .default({ kind: 'sqlite' }),
    redisUrl: z.string().optional().describe('Redis for multi-node notifications, rate limits and the service registry; unset: in-process'),
    tls: z
      .object({
        cert: z.string().optional().describe('PEM certificate path; unset: a self-signed one is generated into dataDir/tls'),
        key: z.string().optional().describe('PEM private key path'),
      })
      .default({}),
    limits: z
      .object({
        maxMessageSize: size.default(30 * 1024 * 1024).describe('Largest message accepted over SMTP or APPEND (bytes, or 25M)'),
        maxRecipients: z.number().int().positive().default(100).describe('Recipients per SMTP transaction'),
        maxConnectionsPerIp: z.number().int().positive().default(20).describe('Concurrent connections per client IP, per listener'),
        socketTimeout: duration.default(300_000).describe('Idle SMTP socket timeout (RFC 5321 4.5.3.2 suggests 5 min)'),
        imapIdleTimeout: duration.default(1_800_000).describe('IMAP idle timeout (RFC 3501: at least 30 min)'),
        defaultQuota: size.default(10 * 1024 ** 3).describe('Mailbox quota of new users (bytes; 0 = unlimited)'),
      })
      .default({
        maxMessageSize: 30 * 1024 * 1024,
        maxRecipients: 100,
        maxConnectionsPerIp: 20,
        socketTimeout: 300_000,
        imapIdleTimeout: 1_800_000,
        defaultQuota: 10 * 1024 ** 3,
      }),
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
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .default({ level: 'info' }),
  })
  .strict();

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
