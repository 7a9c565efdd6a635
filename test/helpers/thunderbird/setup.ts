/** A test file's two processes: Heron (mail-host.ts) and Thunderbird, started side by side. */
import type { User } from './checks.js';
import { MailClient } from './mail-client.js';
import { CERT_NAMES, startMailHost, type MailHost, type MailHostOptions } from './mail-host.js';
import { imapSession } from './server-side.js';
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

export interface ThunderbirdTestbed {
  host: MailHost;
  tb: Thunderbird;
  mail: MailClient;
  /** One of opts.users with its own imapflow session. */
  user(email: string): User;
  /** Logs the sessions out, closes Thunderbird, stops Heron. */
  stop(): Promise<void>;
}

/**
 * What every Thunderbird test file starts from. The CA is not trusted yet: a test may want to
 * see Thunderbird refuse the certificate first. On failure nothing is left running (the file's
 * after() has no testbed to stop).
 */
export async function startThunderbirdTestbed(opts: MailHostOptions): Promise<ThunderbirdTestbed> {
  const { host, tb } = await startHostAndThunderbird(opts);
  const users: User[] = [];
  const stop = async () => {
    for (const u of users) await u.imap.logout().catch(() => undefined);
    await tb.close();
    await host.stop();
  };
  try {
    for (const [email, password] of Object.entries(opts.users)) users.push({ email, imap: await imapSession(host, email, password) });
  } catch (err) {
    await stop();
    throw err;
  }
  const user = (email: string) => {
    const found = users.find((u) => u.email === email);
    if (!found) throw new Error(`${email} is not a testbed user`);
    return found;
  };
  return { host, tb, mail: new MailClient(tb), user, stop };
}
