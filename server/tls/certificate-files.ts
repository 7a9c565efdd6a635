import { readFileSync, statSync } from 'node:fs';
import type { Logger } from 'pino';
import type { TlsMaterial } from '../../domain/index.js';
import type { TlsHolder } from './tls-holder.js';
import { describeCertificate } from './certificate-info.js';

export function readCertificateFiles(certPath: string, keyPath: string): TlsMaterial {
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}

/** What changes when a file is replaced, renamed over or rewritten in place (stat follows symlinks). */
function stamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

export interface CertificateFileWatcher {
  /** Re-reads both files now (SIGHUP); keeps the certificate in force if they do not load. */
  reload(): boolean;
  close(): void;
}

/**
 * Watches the operator's certificate and key and puts a new pair in force without a restart.
 * Polling stat (not inotify) also sees certbot's symlink swaps; a half-written pair (new
 * certificate, old key) fails to load and is retried on the next tick.
 */
export function watchCertificateFiles(opts: {
  certPath: string;
  keyPath: string;
  holder: TlsHolder;
  intervalMs: number;
  logger: Logger;
}): CertificateFileWatcher {
  let last = stamp(opts.certPath) + '|' + stamp(opts.keyPath);
  let failedAt = '';
  const reload = (): boolean => {
    const now = stamp(opts.certPath) + '|' + stamp(opts.keyPath);
    try {
      const material = readCertificateFiles(opts.certPath, opts.keyPath);
      opts.holder.set(material);
      last = now;
      failedAt = '';
      const info = describeCertificate(material.cert);
      opts.logger.info({ event: 'tls_reload', names: info.names, notAfter: info.notAfter.toISOString() }, 'certificate reloaded');
      return true;
    } catch (err) {
      // Logged once per state of the files, not on every tick.
      if (failedAt !== now) opts.logger.error({ event: 'tls_reload_failed', err: (err as Error).message, cert: opts.certPath }, 'certificate files changed but do not load; keeping the one in force');
      failedAt = now;
      return false;
    }
  };
  const timer = setInterval(() => {
    const now = stamp(opts.certPath) + '|' + stamp(opts.keyPath);
    if (now !== last && now !== failedAt) reload();
  }, opts.intervalMs);
  timer.unref();
  return { reload, close: () => clearInterval(timer) };
}
