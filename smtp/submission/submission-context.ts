import type { Logger } from 'pino';
import type { SMTPServer } from 'smtp-server';
import type { SmtpConnectionCap } from '../common/connection-cap.js';
import type { Submitter } from './submit-message.js';
import type { SubmissionLimits, SubmissionServerOptions } from './submission-options.js';
import type { SubmissionMetrics } from './submission-metrics.js';

/** What every submission hook gets, built once in create-submission-server.ts. */
export interface SubmissionContext {
  opts: SubmissionServerOptions;
  limits: SubmissionLimits;
  submitter: Submitter;
  log: Logger;
  metrics: SubmissionMetrics;
  /** Per-IP connection cap (RFC 5321 3.8: 421 and close). */
  connections: SmtpConnectionCap;
  server: () => SMTPServer;
}

/** What onAuth stores as session.user. */
export interface SubmissionUser {
  id: string;
  address: string;
}
