import type { Logger } from 'pino';
import type { SMTPServer } from 'smtp-server';
import type { PerIpLimiter } from '../common/per-ip-limiter.js';
import type { IpMessageRate } from './ip-rate-limit.js';
import type { MxMetrics } from './mx-metrics.js';
import type { MxServerOptions } from './mx-options.js';
import type { RecipientMap } from './recipient-map.js';

/** What every MX hook gets: the options plus the per-server state built once in create-mx-server.ts. */
export interface MxContext {
  opts: MxServerOptions;
  log: Logger;
  metrics: MxMetrics;
  limiter: PerIpLimiter;
  messageRate: IpMessageRate;
  recipients: RecipientMap;
  /** Per session: count of refused RCPTs (address harvesting guard). */
  badRecipients: Map<string, number>;
  server: () => SMTPServer;
}
