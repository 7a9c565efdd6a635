import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { ClusterBus, SecretStore, TlsSource } from '../../domain/index.js';
import { wellKnownHostNames } from '../../gateway/wellknown/host-names.js';
import { createTlsHolder, type TlsHolder } from './tls-holder.js';
import { readCertificateFiles, watchCertificateFiles } from './certificate-files.js';
import { ensureSelfSigned } from './self-signed.js';
import { ACME_TLS_SECRET, createAcmeManager } from './acme.js';
import { describeCertificate, type CertificateInfo } from './certificate-info.js';

export { describeCertificate, certificateCovers, type CertificateInfo } from './certificate-info.js';

export type CertificateKind = 'operator' | 'acme' | 'self-signed';

export interface Certificates {
  source: TlsSource;
  /** Where the certificate in force came from. */
  kind(): CertificateKind;
  info(): CertificateInfo;
  /** The ACME http-01 answer for a token (none without ACME). */
  challenge(token: string): Promise<string | undefined>;
  /** Starts ACME ordering and renewal; call once the HTTP listener is up (http-01 needs it). */
  start(): void;
  /** Re-reads the operator's files now (SIGHUP). */
  reload(): void;
  /** Re-reads the shared secret (another node renewed the ACME certificate). */
  refresh(): Promise<void>;
  close(): void;
}

/**
 * Every name the certificate should carry: the host name, then each domain's well-known names
 * and the domain itself (Thunderbird also asks https://<domain>/.well-known/autoconfig/...; with
 * ACME a name whose DNS points elsewhere fails validation and is simply left off).
 */
export function certificateNames(hostname: string, domains: string[]): string[] {
  return [...new Set([hostname, ...domains.flatMap((d) => [...wellKnownHostNames(d), d])].map((n) => n.toLowerCase()))];
}

export interface CertificateDeps {
  secrets: SecretStore;
  /** The local mail domains now (their well-known names go on the certificate). */
  domains(): Promise<string[]>;
  /** Tells the other nodes of a new ACME certificate, and hears of theirs. */
  bus?: ClusterBus;
}

/**
 * The certificate for every TLS listener, in order of preference: the operator's own files
 * (watched and reloaded on change), a certificate from ACME, or, last, a self-signed one
 * (which also serves until ACME's first certificate arrives).
 */
export async function createCertificates(config: Config, logger: Logger, deps: CertificateDeps): Promise<Certificates> {
  const log = logger.child({ component: 'tls' });
  const names = async () => certificateNames(config.hostname, await deps.domains());
  let kind: CertificateKind;

  if (config.tls.cert && config.tls.key) {
    kind = 'operator';
    const holder = createTlsHolder(readCertificateFiles(config.tls.cert, config.tls.key));
    const watcher = watchCertificateFiles({ certPath: config.tls.cert, keyPath: config.tls.key, holder, intervalMs: config.tls.reloadInterval, logger: log });
    return finish(holder, { reload: () => void watcher.reload(), close: () => watcher.close() });
  }
  const selfSigned = async () => ensureSelfSigned(deps.secrets, config.dataDir, config.hostname, [...(await names()), 'localhost']);
  if (!config.tls.acme.enabled) {
    kind = 'self-signed';
    return finish(createTlsHolder(await selfSigned()), {});
  }
  const holders: TlsHolder[] = [];
  const acme = createAcmeManager({
    directoryUrl: config.tls.acme.directoryUrl,
    ...(config.tls.acme.email ? { email: config.tls.acme.email } : {}),
    ...(config.tls.acme.caFile ? { caPem: readFileSync(config.tls.acme.caFile, 'utf8') } : {}),
    secrets: deps.secrets,
    hostname: config.hostname,
    names,
    renewBeforeMs: config.tls.acme.renewBefore,
    logger: log,
    onCertificate(material) {
      for (const h of holders) h.set(material);
      kind = 'acme';
      void deps.bus?.publish({ type: 'secret', name: ACME_TLS_SECRET }).catch((err: unknown) => log.warn({ err }, 'could not announce the new certificate'));
    },
  });
  const stored = await acme.stored();
  kind = stored ? 'acme' : 'self-signed';
  const holder = createTlsHolder(stored ?? (await selfSigned()));
  holders.push(holder);
  const refresh = async () => {
    const next = await acme.stored();
    if (next && next.cert !== holder.current().cert) {
      holder.set(next);
      kind = 'acme';
    }
  };
  const unsubscribe = deps.bus?.subscribe((event) => {
    if (event.type === 'secret' && event.name === ACME_TLS_SECRET) refresh().catch((err: unknown) => log.error({ err }, 'could not load the new certificate'));
  });
  return finish(holder, {
    challenge: (token) => acme.challenge(token),
    start: () => acme.start(),
    close: () => {
      unsubscribe?.();
      acme.close();
    },
    refresh,
  });

  function finish(
    holder: TlsHolder,
    parts: { challenge?: (token: string) => Promise<string | undefined>; start?: () => void; reload?: () => void; refresh?: () => Promise<void>; close?: () => void },
  ): Certificates {
    return {
      source: holder,
      kind: () => kind,
      info: () => describeCertificate(holder.current().cert),
      challenge: parts.challenge ?? (async () => undefined),
      start: parts.start ?? (() => undefined),
      reload: parts.reload ?? (() => undefined),
      refresh: parts.refresh ?? (async () => undefined),
      close: parts.close ?? (() => undefined),
    };
  }
}
