import type { Logger } from 'pino';
import type { SMTPServer } from 'smtp-server';
import type { SmtpConnectionCap } from '../common/connection-cap.js';
import type { IpMessageRate } from './ip-rate-limit.js';
import type { MxMetrics } from './mx-metrics.js';
import type { MxServerOptions } from './mx-options.js';
import type { RecipientMap } from './recipient-map.js';

/** What every MX hook gets: the options plus the per-server state built once in create-mx-server.ts. */
export interface MxContext {
  opts: MxServerOptions;
  log: Logger;
  metrics: MxMetrics;
  connections: SmtpConnectionCap;
  messageRate: IpMessageRate;
  recipients: RecipientMap;
  /** Per session: count of refused RCPTs (address harvesting guard). */
  badRecipients: Map<string, number>;
  server: () => SMTPServer;
}
