import type { Logger } from 'pino';
import type { SMTPServer } from 'smtp-server';
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
  server: () => SMTPServer;
}

/** What onAuth stores as session.user. */
export interface SubmissionUser {
  id: string;
  address: string;
}
