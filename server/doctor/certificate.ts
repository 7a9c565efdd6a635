import { connect, type PeerCertificate } from 'node:tls';
import type { Config } from '../../config/index.js';
import { certificateCovers } from '../tls/index.js';
import { fail, pass, withTimeout, type CheckResult } from './check.js';

interface Served {
  names: string[];
  notAfter: Date;
  trusted: boolean;
  trustError: string | null;
}

function namesOf(cert: PeerCertificate): string[] {
  const sans = (cert.subjectaltname ?? '').split(/,\s*/).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4).toLowerCase());
  return sans.length > 0 ? sans : cert.subject?.CN ? [String(cert.subject.CN).toLowerCase()] : [];
}

/** The certificate a TLS port serves for a name, and whether this machine's CAs trust it. */
export function servedCertificate(host: string, port: number, servername: string): Promise<Served> {
  return withTimeout(
    new Promise<Served>((resolve, reject) => {
      const s = connect({ host, port, servername, rejectUnauthorized: false }, () => {
        const cert = s.getPeerCertificate();
        resolve({
          names: namesOf(cert),
          notAfter: new Date(cert.valid_to),
          trusted: s.authorized,
          trustError: s.authorizationError ? String(s.authorizationError) : null,
        });
        s.end();
      });
      s.once('error', reject);
    }),
    5000,
    `TLS ${host}:${port}`,
  );
}

const DAY = 86_400_000;
const FIX_CERT = 'set tls.cert/tls.key to a certificate from a public CA (HERON_TLS_CERT/HERON_TLS_KEY) or turn on ACME (HERON_ACME=on) with port 80 reachable';

/**
 * The certificate as clients see it: trusted, valid for the host name (IMAP/submission) and for
 * the well-known names on HTTPS (mta-sts.<domain> must be covered, RFC 8461 3.3), not about to
 * expire.
 */
export async function checkCertificate(config: Config, host: string, domains: string[], now = Date.now()): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const tlsPort = config.ports.imaps || config.ports.submissions || config.ports.https;
  const probes: Array<{ port: number; name: string; what: string }> = [];
  if (tlsPort) probes.push({ port: tlsPort, name: config.hostname, what: config.hostname });
  if (config.ports.https) {
    for (const d of domains) {
      if (config.mtaSts.mode !== 'none') probes.push({ port: config.ports.https, name: `mta-sts.${d}`, what: `mta-sts.${d} (MTA-STS policy)` });
      probes.push({ port: config.ports.https, name: `autoconfig.${d}`, what: `autoconfig.${d} (Thunderbird)` });
    }
  }
  if (probes.length === 0) return [fail('certificate', 'certificate', 'no TLS listener is on', 'turn on IMAPS (993) and submission (465)')];
  for (const p of probes) {
    let served: Served;
    try {
      served = await servedCertificate(host, p.port, p.name);
    } catch (err) {
      out.push(fail('certificate', p.what, (err as Error).message, 'start the server; check the TLS listener'));
      continue;
    }
    const label = `certificate for ${p.what}`;
    if (!certificateCovers(served.names, p.name)) {
      out.push(fail('certificate', label, `port ${p.port} serves a certificate for ${served.names.join(', ') || '(no names)'}`, `get a certificate that includes ${p.name} (ACME adds it once its DNS record points here)`));
    } else if (!served.trusted) {
      out.push(fail('certificate', label, `not trusted: ${served.trustError ?? 'unknown issuer'}${served.trustError === 'DEPTH_ZERO_SELF_SIGNED_CERT' ? ' (self-signed)' : ''}`, FIX_CERT));
    } else if (served.notAfter.getTime() - now < 14 * DAY) {
      out.push(fail('certificate', label, `expires ${served.notAfter.toISOString().slice(0, 10)}`, 'renew it (ACME renews 30 days before; check the acme lines of the log)'));
    } else {
      out.push(pass('certificate', label, `trusted, valid until ${served.notAfter.toISOString().slice(0, 10)}`));
    }
  }
  return out;
}
