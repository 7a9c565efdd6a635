import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ConnectionGate, TlsSource } from '../domain/index.js';
import { gateHttpConnections } from '../admin-api/connection-cap.js';
import type { WellKnownHandler } from '../gateway/wellknown/index.js';

export interface WellKnownListenerOptions {
  handler: WellKnownHandler;
  /** HTTPS with this certificate source; plain HTTP without. */
  tls?: TlsSource;
  /** Plain HTTP sends other paths here (301); 0: answers 404. */
  httpsPort: number;
  /** HTTPS hands other paths to this (the web app and API); without it they are 404. */
  fallback?: RequestListener;
  logger: Logger;
  /** The process's per-IP connection cap (issue 9), as listener 'http' or 'https'. */
  connectionGate?: ConnectionGate;
}

export interface WellKnownListener {
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: { code: 'not_found', message: 'not found' } }));
}

/**
 * The listener on 80/443 for the names mail clients and senders look at: autoconfig,
 * autodiscover, .mobileconfig, MTA-STS, ACME http-01. HTTPS takes the current certificate per
 * handshake (and the default context is swapped when it changes), so a renewal needs no restart.
 */
export function createWellKnownListener(opts: WellKnownListenerOptions): WellKnownListener {
  const secure = !!opts.tls;
  const log = opts.logger.child({ component: secure ? 'https' : 'http' });
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    opts.handler(req, res, { secure }).then(
      (handled) => {
        if (handled) return;
        if (secure && opts.fallback) return void opts.fallback(req, res);
        if (!secure && opts.httpsPort > 0) {
          const host = (req.headers.host ?? '').replace(/:\d+$/, '');
          if (/^[a-z0-9.-]{1,253}$/i.test(host)) {
            const port = opts.httpsPort === 443 ? '' : `:${opts.httpsPort}`;
            res.writeHead(301, { Location: `https://${host}${port}${req.url ?? '/'}` });
            return void res.end();
          }
        }
        notFound(res);
      },
      (err: unknown) => {
        log.error({ err, path: req.url }, 'well-known request failed');
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'internal', message: 'internal error' } }));
        } else res.destroy();
      },
    );
  };
  const server = opts.tls ? https.createServer({ ...opts.tls.current(), SNICallback: opts.tls.sniCallback }) : http.createServer();
  server.on('request', opts.connectionGate ? gateHttpConnections(server, opts.connectionGate, secure ? 'https' : 'http', onRequest) : onRequest);
  // Slow or idle clients do not keep sockets: these answers are small.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;
  const unsubscribe = opts.tls?.onChange(() => (server as https.Server).setSecureContext(opts.tls!.current()));
  server.on('tlsClientError', (err) => log.debug({ err: err.message }, 'tls handshake failed'));

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const bound = (server.address() as AddressInfo).port;
          log.info({ event: 'listen', host, port: bound }, `${secure ? 'https' : 'http'} listening`);
          resolve(bound);
        });
      });
    },
    close() {
      unsubscribe?.();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
