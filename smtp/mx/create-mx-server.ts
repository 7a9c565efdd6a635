import type { SMTPServer } from 'smtp-server';
import { prepareSpoolDir } from '../../mail/spool/spool-file.js';
import { callbackHandler } from '../common/callback-handler.js';
import { SmtpConnectionCap } from '../common/connection-cap.js';
import { createConnectionGate } from '../../limits/index.js';
import { IpMessageRate } from './ip-rate-limit.js';
import type { MxContext } from './mx-context.js';
import { mxMetrics } from './mx-metrics.js';
import { MX_LIMIT_DEFAULTS, MX_SPOOL_PREFIX, type MxServerOptions } from './mx-options.js';
import { RecipientMap } from './recipient-map.js';
import { onClose } from './on-close.js';
import { onConnect } from './on-connect.js';
import { onData } from './on-data.js';
import { onMailFrom } from './on-mail-from.js';
import { onRcptTo } from './on-rcpt-to.js';
import { listenSmtpServer } from '../common/listen.js';
import { GreetingDelayServer } from '../common/greeting-server.js';

export interface MxServer {
  /** Resolves with the bound port (useful with port 0); rejects if the port cannot be bound. */
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
  /** Serves a new certificate from the next STARTTLS on (server/ calls it when the certificate changes). */
  updateTls(tls: { key: string | Buffer; cert: string | Buffer }): void;
}

/**
 * The inbound MX listener (port 25): ESMTP with PIPELINING, 8BITMIME, SMTPUTF8, SIZE,
 * ENHANCEDSTATUSCODES and STARTTLS; no AUTH at all, so it cannot be used as a relay.
 */
export function createMxServer(opts: MxServerOptions): MxServer {
  const log = opts.logger.child({ component: 'mx' });
  const { limits } = opts;
  const ctx: MxContext = {
    opts,
    log,
    metrics: mxMetrics(opts.metrics),
    connections: new SmtpConnectionCap(opts.connectionGate ?? createConnectionGate({ perIp: limits.maxConnectionsPerIp }), 'smtp'),
    messageRate: new IpMessageRate(limits.messagesPerMinutePerIp, opts.counters),
    recipients: new RecipientMap(),
    badRecipients: new Map(),
    // Read only from hooks, which run after construction.
    server: () => server,
  };

  const server: SMTPServer = new GreetingDelayServer({
    name: opts.hostname,
    banner: 'Heron ESMTP',
    greetingDelayMs: limits.greetingDelayMs ?? 0,
    key: opts.tls.key,
    cert: opts.tls.cert,
    // RFC 3207: STARTTLS offered, never required on MX (RFC 3207 4: a public MX must not insist).
    disabledCommands: ['AUTH'],
    size: limits.maxMessageSize,
    maxRecipients: limits.maxRecipients,
    maxCommandLength: limits.maxCommandLength ?? MX_LIMIT_DEFAULTS.maxCommandLength,
    maxClients: limits.maxClients ?? MX_LIMIT_DEFAULTS.maxClients,
    socketTimeout: limits.socketTimeoutMs,
    closeTimeout: limits.closeTimeoutMs ?? MX_LIMIT_DEFAULTS.closeTimeoutMs,
    hideENHANCEDSTATUSCODES: false,
    hideSMTPUTF8: false,
    hide8BITMIME: false,
    hidePIPELINING: false,
    disableReverseLookup: !opts.reverseLookup,
    logger: false,
    onConnect: callbackHandler(log, 'connect', onConnect(ctx)),
    onMailFrom: callbackHandler(log, 'mail_from', onMailFrom(ctx)),
    onRcptTo: callbackHandler(log, 'rcpt_to', onRcptTo(ctx)),
    onData: onData(ctx),
    onClose: onClose(ctx),
  });
  server.on('error', (err) => log.error({ err }, 'mx server error'));

  return {
    async listen(port, host) {
      await prepareSpoolDir(opts.spoolDir, MX_SPOOL_PREFIX);
      const bound = await listenSmtpServer(server, port, host);
      log.info({ event: 'listen', host, port: bound }, 'MX listening');
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
