import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { ConnectionGate, UserStore } from '../domain/index.js';
import { createWellKnownHandler } from '../gateway/wellknown/index.js';
import { createWellKnownListener, type WellKnownListener } from './wellknown-listener.js';
import type { Certificates } from './tls/index.js';

export interface ListenerSpec {
  name: string;
  env: string;
  port: number;
  server: () => WellKnownListener;
}

/**
 * The HTTP (80) and HTTPS (443) listeners for the well-known names. HTTPS hands every other path
 * to the API/web app when this node runs it, so https://<host>/ is the web app too.
 */
export function wellKnownListeners(opts: {
  config: Config;
  certs: Certificates;
  users: Pick<UserStore, 'isLocalDomain'>;
  logger: Logger;
  /** The API/web app's request listener, once it exists. */
  fallback: () => RequestListener | undefined;
  connectionGate?: ConnectionGate;
}): ListenerSpec[] {
  const { config } = opts;
  const gate = opts.connectionGate ? { connectionGate: opts.connectionGate } : {};
  const handler = createWellKnownHandler({
    settings: {
      hostname: config.hostname,
      ports: { imaps: config.ports.imaps, imap: config.ports.imap, submissions: config.ports.submissions, submission: config.ports.submission },
    },
    isLocalDomain: (d) => opts.users.isLocalDomain(d),
    mtaSts: { mode: config.mtaSts.mode, maxAgeSec: config.mtaSts.maxAge / 1000 },
    acmeChallenge: (token) => opts.certs.challenge(token),
    logger: opts.logger,
  });
  const fallback: RequestListener = (req, res) => {
    const app = opts.fallback();
    if (app) return void app(req, res);
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'not found' } }));
  };
  return [
    {
      name: 'http',
      env: 'HERON_HTTP_PORT',
      port: config.ports.http,
      server: () => createWellKnownListener({ handler, httpsPort: config.ports.https, logger: opts.logger, ...gate }),
    },
    {
      name: 'https',
      env: 'HERON_HTTPS_PORT',
      port: config.ports.https,
      server: () => createWellKnownListener({ handler, tls: opts.certs.source, httpsPort: config.ports.https, fallback, logger: opts.logger, ...gate }),
    },
  ];
}
