import { Agent } from 'node:https';
import acme from 'acme-client';
import type { Logger } from 'pino';
import type { SecretStore, TlsMaterial } from '../../domain/index.js';
import { certificateCovers, describeCertificate } from './certificate-info.js';
import { parseTlsSecret } from './self-signed.js';

export const ACME_ACCOUNT_SECRET = 'acme-account-key';
/** The account's URL at one CA (a new directory URL means a new account there). */
export const acmeAccountUrlSecret = (directoryUrl: string) => `acme-account-url:${directoryUrl}`;
export const ACME_TLS_SECRET = 'acme-tls';
/** Names that failed validation, with when: a restart must not order them again at once (CA rate limits). */
export const ACME_FAILED_SECRET = 'acme-failed-names';
/** Where a challenge answer is shared, so the node that receives the CA's request can answer it. */
export const acmeChallengeSecret = (token: string) => `acme-challenge:${token}`;

export interface AcmeOptions {
  directoryUrl: string;
  email?: string;
  /** Trust this CA (PEM) for the ACME server's own HTTPS, for a private CA; public CAs need nothing. */
  caPem?: string;
  /** Account key and certificate are shared secrets, so every node serves what one node ordered. */
  secrets: SecretStore;
  /** The certificate's common name; the order fails without it. */
  hostname: string;
  /** Every name wanted on the certificate (host name first); names that fail validation are left off. */
  names: () => Promise<string[]>;
  renewBeforeMs: number;
  logger: Logger;
  /** Called with each new certificate. */
  onCertificate(material: TlsMaterial): void;
  checkIntervalMs?: number;
  /** After a failed order, the next try (default 1 h). */
  retryMs?: number;
  /** A name that failed validation is tried again after this long. */
  retryFailedNameMs?: number;
}

export interface AcmeManager {
  /** The http-01 key authorization for a token, for /.well-known/acme-challenge/<token> (RFC 8555 8.3). */
  challenge(token: string): Promise<string | undefined>;
  /** The certificate stored by an earlier run (or another node), if any. */
  stored(): Promise<TlsMaterial | null>;
  /** Orders a certificate when none is stored, it expires within renewBefore, or a wanted name is missing. */
  check(opts?: { force?: boolean }): Promise<'fresh' | 'issued' | 'failed'>;
  /** Checks now and then every checkIntervalMs. */
  start(): void;
  close(): void;
}

/**
 * Certificates from an ACME CA (RFC 8555) through acme-client, http-01 challenges answered by
 * the HTTP listener. Account key and certificate are kept in the shared secrets so a restart
 * does not order again. Renewal runs on a timer; a failure keeps the certificate in force and retries.
 */
export function createAcmeManager(opts: AcmeOptions): AcmeManager {
  const challenges = new Map<string, string>();
  let failedNames: Map<string, number> | null = null;
  const loadFailed = async (): Promise<Map<string, number>> => {
    if (!failedNames) {
      const saved = await opts.secrets.get(ACME_FAILED_SECRET);
      failedNames = new Map(Object.entries(saved ? (JSON.parse(saved) as Record<string, number>) : {}));
    }
    return failedNames;
  };
  const noteFailed = async (names: string[]): Promise<void> => {
    const failed = await loadFailed();
    for (const n of names) failed.set(n, Date.now());
    await opts.secrets.set(ACME_FAILED_SECRET, JSON.stringify(Object.fromEntries(failed)));
  };
  const log = opts.logger.child({ component: 'acme' });
  const retryFailed = opts.retryFailedNameMs ?? 24 * 3_600_000;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let running: Promise<'fresh' | 'issued' | 'failed'> | null = null;
  if (opts.caPem) {
    // acme-client talks through its own axios instance; this process has one ACME manager.
    acme.axios.defaults.httpsAgent = new Agent({ ca: opts.caPem });
  }

  const stored = async (): Promise<TlsMaterial | null> => parseTlsSecret(await opts.secrets.get(ACME_TLS_SECRET));

  const wanted = async (): Promise<string[]> => {
    const now = Date.now();
    const failed = await loadFailed();
    return [...new Set((await opts.names()).map((n) => n.toLowerCase()))].filter((n) => n === opts.hostname.toLowerCase() || now - (failed.get(n) ?? -Infinity) > retryFailed);
  };

  async function accountKey(): Promise<string> {
    const existing = await opts.secrets.get(ACME_ACCOUNT_SECRET);
    if (existing) return existing;
    return opts.secrets.putIfAbsent(ACME_ACCOUNT_SECRET, (await acme.crypto.createPrivateKey()).toString());
  }

  /** Runs one order; returns the names whose authorization failed (the order is then unusable). */
  async function authorize(client: acme.Client, names: string[]): Promise<{ order: acme.Order; failed: string[] }> {
    const order = await client.createOrder({ identifiers: names.map((value) => ({ type: 'dns', value })) });
    const authzs = await client.getAuthorizations(order);
    const failed: string[] = [];
    await Promise.all(
      authzs.map(async (authz) => {
        if (authz.status === 'valid') return;
        const name = authz.identifier.value;
        const challenge = authz.challenges.find((c) => c.type === 'http-01');
        if (!challenge) {
          failed.push(name);
          return;
        }
        const keyAuthorization = await client.getChallengeKeyAuthorization(challenge);
        challenges.set(challenge.token, keyAuthorization);
        await opts.secrets.set(acmeChallengeSecret(challenge.token), keyAuthorization);
        try {
          await client.completeChallenge(challenge);
          await client.waitForValidStatus(challenge);
        } catch (err) {
          log.warn({ event: 'acme_challenge_failed', name, err: (err as Error).message }, `ACME could not validate ${name}; publish its DNS record (heron domain dns) and it is added at the next renewal`);
          failed.push(name);
        } finally {
          challenges.delete(challenge.token);
          await opts.secrets.set(acmeChallengeSecret(challenge.token), '');
        }
      }),
    );
    return { order, failed };
  }

  async function issue(names: string[]): Promise<boolean> {
    // The account is made once (RFC 8555 7.3); later orders name it by URL.
    const known = (await opts.secrets.get(acmeAccountUrlSecret(opts.directoryUrl))) || undefined;
    const client = new acme.Client({ directoryUrl: opts.directoryUrl, accountKey: await accountKey(), ...(known ? { accountUrl: known } : {}) });
    if (!known) {
      await client.createAccount({ termsOfServiceAgreed: true, ...(opts.email ? { contact: [`mailto:${opts.email}`] } : {}) });
      await opts.secrets.set(acmeAccountUrlSecret(opts.directoryUrl), client.getAccountUrl());
    }
    let attempt = await authorize(client, names);
    if (attempt.failed.length > 0) {
      await noteFailed(attempt.failed);
      const rest = names.filter((n) => !attempt.failed.includes(n));
      if (!rest.includes(opts.hostname.toLowerCase())) return false;
      // An order with a failed authorization is invalid for good (RFC 8555 7.1.6): order again without those names.
      attempt = await authorize(client, rest);
      if (attempt.failed.length > 0) return false;
      names = rest;
    }
    const [key, csr] = await acme.crypto.createCsr({ commonName: opts.hostname.toLowerCase(), altNames: names });
    const finalized = await client.finalizeOrder(attempt.order, csr);
    const cert = await client.getCertificate(finalized);
    const material = { cert, key: key.toString() };
    await opts.secrets.set(ACME_TLS_SECRET, JSON.stringify(material));
    opts.onCertificate(material);
    const info = describeCertificate(cert);
    log.info({ event: 'acme_issued', names: info.names, notAfter: info.notAfter.toISOString(), issuer: info.issuer }, 'certificate issued');
    return true;
  }

  async function runCheck(force: boolean): Promise<'fresh' | 'issued' | 'failed'> {
    const names = await wanted();
    const current = await stored();
    if (current && !force) {
      const info = describeCertificate(current.cert);
      const fresh = info.notAfter.getTime() - Date.now() > opts.renewBeforeMs;
      if (fresh && names.every((n) => certificateCovers(info.names, n))) {
        log.info({ event: 'acme_fresh', names: info.names, notAfter: info.notAfter.toISOString() }, 'certificate is current');
        return 'fresh';
      }
    }
    try {
      return (await issue(names)) ? 'issued' : 'failed';
    } catch (err) {
      log.error({ event: 'acme_failed', err: (err as Error).message, directory: opts.directoryUrl }, 'ACME order failed; keeping the certificate in force, will retry');
      return 'failed';
    }
  }

  return {
    async challenge(token) {
      if (!/^[A-Za-z0-9_-]{1,256}$/.test(token)) return undefined;
      return challenges.get(token) ?? ((await opts.secrets.get(acmeChallengeSecret(token))) || undefined);
    },
    stored,
    check(o = {}) {
      // One order at a time: a timer tick during a slow order waits for it.
      running ??= runCheck(o.force ?? false).finally(() => (running = null));
      return running;
    },
    start() {
      const tick = (): void => {
        void this.check().then((result) => {
          if (closed) return;
          // A failed order is retried sooner than the routine renewal check.
          timer = setTimeout(tick, result === 'failed' ? (opts.retryMs ?? 3_600_000) : (opts.checkIntervalMs ?? 12 * 3_600_000));
          timer.unref();
        });
      };
      tick();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
