import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Certificates } from './tls/index.js';

/**
 * The last lines of the start-up log: a clear warning while the certificate is self-signed, then
 * one line that says where to go next.
 */
export function logStartupSummary(logger: Logger, config: Config, ports: Record<string, number>, certs: Certificates): void {
  const info = certs.info();
  if (certs.kind() === 'self-signed') {
    logger.warn(
      { event: 'tls_self_signed', names: info.names },
      config.tls.acme.enabled
        ? 'serving a self-signed certificate until ACME issues one: mail clients warn until then (see the acme log lines)'
        : 'serving a self-signed certificate: mail clients will warn. Set tls.cert/tls.key (HERON_TLS_CERT/HERON_TLS_KEY) or turn on ACME (HERON_ACME=on)',
    );
  } else if (info.notAfter.getTime() - Date.now() < 14 * 86_400_000) {
    logger.warn({ event: 'tls_expiring', notAfter: info.notAfter.toISOString() }, 'the certificate expires within 14 days');
  }
  if (config.tls.acme.enabled && !ports.http) {
    logger.warn({ event: 'acme_no_http' }, 'ACME is on but the HTTP listener is off: http-01 challenges cannot be answered (set HERON_HTTP_PORT, usually 80)');
  }
  const domain = config.domains[0]!;
  const steps: string[] = [];
  if (ports.imaps || ports.imap) steps.push(`add an account in Thunderbird with just an address @${domain} and its password (IMAP ${config.hostname}:${ports.imaps ?? ports.imap})`);
  if (ports.https) steps.push(`open https://${config.hostname}${ports.https === 443 ? '' : `:${ports.https}`}/`);
  else if (ports.api) steps.push(`open http://${config.hostname}:${ports.api}/`);
  steps.push('check DNS, certificate and ports with: heron doctor');
  logger.info({ event: 'ready', certificate: certs.kind(), ports }, `Heron is running. Next: ${steps.join('; ')}`);
}
