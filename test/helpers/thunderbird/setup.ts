/** A test file's two processes: Heron (mail-host.ts) and Thunderbird, started side by side. */
import { CERT_NAMES, startMailHost, type MailHost, type MailHostOptions } from './mail-host.js';
import { ensureThunderbird, Thunderbird } from './thunderbird.js';

/**
 * Installs Thunderbird first when missing (ensureThunderbird). Resolves when both are up. If
 * either fails, the other is stopped before the error is thrown: a Thunderbird nobody closes
 * keeps the test process alive until the runner's timeout.
 */
export async function startHostAndThunderbird(opts: MailHostOptions): Promise<{ host: MailHost; tb: Thunderbird }> {
  ensureThunderbird();
  const [host, tb] = await Promise.allSettled([startMailHost(opts), Thunderbird.start({ localNames: CERT_NAMES })]);
  if (host.status === 'fulfilled' && tb.status === 'fulfilled') return { host: host.value, tb: tb.value };
  if (host.status === 'fulfilled') await host.value.stop();
  if (tb.status === 'fulfilled') await tb.value.close();
  throw host.status === 'rejected' ? host.reason : (tb as PromiseRejectedResult).reason;
}
