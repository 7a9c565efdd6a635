import { X509Certificate } from 'node:crypto';

export interface CertificateInfo {
  /** DNS names the certificate is valid for (subjectAltName, else the common name). */
  names: string[];
  notBefore: Date;
  notAfter: Date;
  issuer: string;
  /** Issued by itself: clients will not trust it without a prompt. */
  selfSigned: boolean;
  serial: string;
}

/** Reads the leaf (first) certificate of a PEM chain. */
export function describeCertificate(pem: string | Buffer): CertificateInfo {
  const x = new X509Certificate(pem);
  const sans = (x.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase());
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(x.subject)?.[1];
  return {
    names: sans.length > 0 ? sans : cn ? [cn.toLowerCase()] : [],
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    issuer: x.issuer.replace(/\n/g, ', '),
    selfSigned: x.issuer === x.subject && x.checkIssued(x) && x.verify(x.publicKey),
    serial: x.serialNumber,
  };
}

/** RFC 6125 6.4.3: a wildcard stands for exactly one left-most label. */
export function certificateCovers(names: string[], host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return names.some((n) => {
    if (n === h) return true;
    if (!n.startsWith('*.')) return false;
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === n.slice(2);
  });
}
