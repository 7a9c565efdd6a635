import type { SMTPServer } from 'smtp-server';
import { GreetingDelayServer } from '../common/greeting-server.js';
import { callbackHandler } from '../common/callback-handler.js';
import { smtpServerError } from '../common/smtp-error.js';
import { SmtpError, SmtpReplies } from '../../domain/index.js';
import { onAuth } from './on-auth.js';
import { onConnect } from './on-connect.js';
import { onData } from './on-data.js';
import { onMailFrom } from './on-mail-from.js';
import { onRcptTo } from './on-rcpt-to.js';
import { createSubmitter, type Submitter } from './submit-message.js';
import type { SubmissionContext } from './submission-context.js';
import { submissionMetrics } from './submission-metrics.js';
import { SUBMISSION_LIMIT_DEFAULTS, type SubmissionServerOptions } from './submission-options.js';
import { listenSmtpServer } from '../common/listen.js';
import { SmtpConnectionCap } from '../common/connection-cap.js';
import { createConnectionGate } from '../../limits/index.js';

export interface SubmissionServer {
  /** Resolves with the bound port (useful with port 0). */
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
  /** Serves a new certificate from the next handshake on (server/ calls it when the certificate changes). */
  updateTls(tls: { key: string | Buffer; cert: string | Buffer }): void;
  /** The MSA core behind this listener (the REST API may share it: same rate limits). */
  readonly submitter: Submitter;
}

/**
 * Message submission (RFC 6409): 587 with STARTTLS that must come before AUTH, or 465 with
 * implicit TLS (RFC 8314). Every transaction needs AUTH (530 5.7.0 otherwise), so this listener
 * is never an open relay.
 */
export function createSubmissionServer(opts: SubmissionServerOptions & { submitter?: Submitter }): SubmissionServer {
  const log = opts.logger.child({ component: opts.secure ? 'submissions' : 'submission' });
  const limits = { ...SUBMISSION_LIMIT_DEFAULTS, ...opts.limits };
  const submitter = opts.submitter ?? createSubmitter(opts);
  const connections = new SmtpConnectionCap(
    opts.connectionGate ?? createConnectionGate({ perIp: limits.maxConnectionsPerIp ?? 20 }),
    opts.secure ? 'submissions' : 'submission',
  );
  const ctx: SubmissionContext = { opts, limits, submitter, log, metrics: submissionMetrics(opts.metrics), connections, server: () => server };
  const authHook = onAuth(ctx);

  // ctx.server() is only called from hooks, after this assignment.
  const server: SMTPServer = new GreetingDelayServer({
    name: opts.hostname,
    banner: 'Heron ESMTP submission',
    greetingDelayMs: limits.greetingDelayMs ?? 0,
    secure: opts.secure,
    key: opts.tls.key,
    cert: opts.tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: false,
    authOptional: false,
    authRequiredMessage: `${SmtpReplies.authRequired.enhanced} ${SmtpReplies.authRequired.message}`,
    disabledCommands: opts.secure ? ['STARTTLS'] : [],
    size: limits.maxMessageSize,
    maxRecipients: limits.maxRecipients,
    maxClients: limits.maxClients ?? 500,
    socketTimeout: limits.socketTimeoutMs,
    closeTimeout: limits.closeTimeoutMs ?? 5000,
    hideENHANCEDSTATUSCODES: false,
    hide8BITMIME: false,
    hideSMTPUTF8: false,
    hidePIPELINING: false,
    disableReverseLookup: true,
    logger: false,
    onConnect: callbackHandler(log, 'connect', onConnect(ctx)),
    onAuth: (auth, session, callback) => {
      authHook(auth, session).then(
        (res) => callback(null, res),
        (err: unknown) => {
          if (err instanceof SmtpError) return callback(smtpServerError(err.reply));
          log.error({ err }, 'auth hook failed');
          callback(smtpServerError(SmtpReplies.tempFailure));
        },
      );
    },
    onMailFrom: callbackHandler(log, 'mail_from', onMailFrom(ctx)),
    onRcptTo: callbackHandler(log, 'rcpt_to', onRcptTo(ctx)),
    onData: onData(ctx),
    onClose: (session) => {
      connections.release(session.id);
      log.info({ event: 'close', session: session.id }, 'connection closed');
    },
  });
  server.on('error', (err) => log.error({ err }, 'submission server error'));

  return {
    submitter,
    async listen(port, host) {
      const bound = await listenSmtpServer(server, port, host);
      log.info({ event: 'listen', host, port: bound, secure: opts.secure }, 'submission listening');
      return bound;
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
    updateTls(tls) {
      server.updateSecureContext(tls);
    },
  };
}
