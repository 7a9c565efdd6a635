import type { DkimKey } from './dkim-keys.js';

/**
 * The records an operator publishes for a domain: MX, SPF (RFC 7208), DKIM (RFC 6376),
 * DMARC (RFC 7489), SRV for client autodiscovery (RFC 6186, RFC 8314) and Thunderbird's
 * autoconfig host.
 */
export function dnsRecords(domain: string, hostname: string, dkim: DkimKey): string[] {
  // Long TXT values are split into 255-byte strings (RFC 1035 3.3.14).
  const dkimValue = `v=DKIM1; k=rsa; p=${dkim.publicKeyBase64}`;
  const chunks = dkimValue.match(/.{1,255}/g) ?? [];
  return [
    `${domain}. IN MX 10 ${hostname}.`,
    `${domain}. IN TXT "v=spf1 mx -all"`,
    `${dkim.selector}._domainkey.${domain}. IN TXT ${chunks.map((c) => `"${c}"`).join(' ')}`,
    `_dmarc.${domain}. IN TXT "v=DMARC1; p=quarantine; rua=mailto:postmaster@${domain}"`,
    `_submissions._tcp.${domain}. IN SRV 0 1 465 ${hostname}.`,
    `_submission._tcp.${domain}. IN SRV 0 1 587 ${hostname}.`,
    `_imaps._tcp.${domain}. IN SRV 0 1 993 ${hostname}.`,
    `_imap._tcp.${domain}. IN SRV 0 1 143 ${hostname}.`,
    `autoconfig.${domain}. IN CNAME ${hostname}.`,
  ];
}
