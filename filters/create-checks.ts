import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DNSResolver } from 'mailauth';
import type { MessageCheck } from '../domain/index.js';
import { createClamavCheck, type OversizePolicy } from './clamav/check.js';
import { instrumentCheck } from './instrument.js';
import { createMailauthCheck } from './mailauth/check.js';
import { filterMetrics } from './metrics.js';
import { createRspamdCheck } from './rspamd/check.js';
import { createLocalDomainCheck, type LocalDomainCheckOptions } from './local-domain/check.js';

export interface CreateChecksOptions {
  /** rspamd normal worker (HERON_RSPAMD_URL); unset: no spam scan. */
  rspamdUrl?: string;
  /** clamd `host:port` (HERON_CLAMD); unset: no virus scan. */
  clamd?: string;
  /** DNS for SPF/DKIM/DMARC/ARC; default the system resolver. */
  resolver?: DNSResolver;
  /** This server's name: authserv-id in Authentication-Results, X-Virus-Scanned. */
  hostname: string;
  /** Per-check deadline (HERON_FILTER_TIMEOUT), default 15 s. */
  timeoutMs?: number;
  /** SPF/DKIM/DMARC/ARC on every message (default true). */
  mailauth?: boolean;
  /** Reject DMARC p=reject failures (default true). */
  enforceDmarc?: boolean;
  /** Messages larger than clamd scans: see OversizePolicy (default accept, marked unscanned). */
  clamdOversize?: OversizePolicy;
  clamdMaxScanBytes?: number;
  /** Local-domain protection (issue 9); unset: off. */
  localDomains?: LocalDomainCheckOptions;
  logger: Logger;
  metrics: Registry;
}

/**
 * The enabled checks in the order the pipeline should run them: authentication headers first
 * (cheap, and its DMARC reject spares the scanners), then ClamAV, then rspamd. Each is wrapped
 * with metrics and logging; each throws FilterUnavailableError when its daemon is down or slow.
 */
export function createChecks(opts: CreateChecksOptions): MessageCheck[] {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const metrics = filterMetrics(opts.metrics);
  const logger = opts.logger.child({ component: 'filters' });
  const checks: MessageCheck[] = [];
  if (opts.localDomains && (opts.localDomains.mode !== 'off' || Object.values(opts.localDomains.domains ?? {}).some((m) => m !== 'off'))) {
    checks.push(createLocalDomainCheck(opts.localDomains!));
  }
  if (opts.mailauth ?? true) {
    checks.push(
      createMailauthCheck({
        hostname: opts.hostname,
        timeoutMs,
        ...(opts.resolver ? { resolver: opts.resolver } : {}),
        ...(opts.enforceDmarc !== undefined ? { enforceDmarc: opts.enforceDmarc } : {}),
      }),
    );
  }
  if (opts.clamd) {
    checks.push(
      createClamavCheck({
        address: opts.clamd,
        timeoutMs,
        hostname: opts.hostname,
        ...(opts.clamdOversize ? { oversize: opts.clamdOversize } : {}),
        ...(opts.clamdMaxScanBytes ? { maxScanBytes: opts.clamdMaxScanBytes } : {}),
      }),
    );
  }
  if (opts.rspamdUrl) checks.push(createRspamdCheck({ url: opts.rspamdUrl, timeoutMs }));
  return checks.map((c) => instrumentCheck(c, metrics, logger));
}
