import type { Config } from '../config/index.js';
import type { DkimKey } from '../domain/index.js';
import { mtaStsId, mtaStsPolicy, wellKnownHostNames } from '../gateway/wellknown/index.js';

export type DnsRecordType = 'MX' | 'TXT' | 'SRV' | 'CNAME';

/** One record to publish; `value` is the record data in zone-file form (TXT: the whole text, unsplit). */
export interface DnsRecord {
  name: string;
  type: DnsRecordType;
  value: string;
  /** Why it is there, for people reading `domain dns` and `doctor`. */
  purpose: string;
}

export type DnsRecordConfig = Pick<Config, 'hostname' | 'ports' | 'mtaSts'>;

/** RFC 6186 3.4 / RFC 8314 5.1: port 0 (listener off) is published as "not offered" (target "."). */
function srv(port: number, hostname: string): string {
  return port > 0 ? `0 1 ${port} ${hostname}.` : '0 0 0 .';
}

/**
 * The records an operator publishes for a domain: MX, SPF (RFC 7208), DKIM (RFC 6376), DMARC
 * (RFC 7489), MTA-STS (RFC 8461) and TLS reporting (RFC 8460), SRV records for client
 * autodiscovery (RFC 6186, RFC 8314) and the names Thunderbird and Outlook look up.
 */
export function dnsRecordSet(config: DnsRecordConfig, domain: string, dkim: DkimKey): DnsRecord[] {
  const host = config.hostname;
  const policy = mtaStsPolicy({ mode: config.mtaSts.mode, maxAgeSec: config.mtaSts.maxAge / 1000, mx: [host] });
  const [autoconfig, autodiscover, mtaSts] = wellKnownHostNames(domain) as [string, string, string];
  return [
    { name: domain, type: 'MX', value: `10 ${host}.`, purpose: 'mail for the domain goes to this server' },
    { name: domain, type: 'TXT', value: 'v=spf1 mx -all', purpose: 'SPF: only the MX hosts send for the domain' },
    { name: `${dkim.selector}._domainkey.${domain}`, type: 'TXT', value: `v=DKIM1; k=rsa; p=${dkim.publicKeyBase64}`, purpose: 'DKIM public key' },
    { name: `_dmarc.${domain}`, type: 'TXT', value: `v=DMARC1; p=quarantine; rua=mailto:postmaster@${domain}`, purpose: 'DMARC policy and reports' },
    { name: `_mta-sts.${domain}`, type: 'TXT', value: `v=STSv1; id=${mtaStsId(policy)}`, purpose: 'MTA-STS: senders fetch the policy from mta-sts.' + domain },
    { name: `_smtp._tls.${domain}`, type: 'TXT', value: `v=TLSRPTv1; rua=mailto:postmaster@${domain}`, purpose: 'TLS reports (RFC 8460)' },
    { name: `_submissions._tcp.${domain}`, type: 'SRV', value: srv(config.ports.submissions, host), purpose: 'clients: submission over TLS' },
    { name: `_submission._tcp.${domain}`, type: 'SRV', value: srv(config.ports.submission, host), purpose: 'clients: submission with STARTTLS' },
    { name: `_imaps._tcp.${domain}`, type: 'SRV', value: srv(config.ports.imaps, host), purpose: 'clients: IMAP over TLS' },
    { name: `_imap._tcp.${domain}`, type: 'SRV', value: srv(config.ports.imap, host), purpose: 'clients: IMAP with STARTTLS' },
    { name: `_pop3s._tcp.${domain}`, type: 'SRV', value: '0 0 0 .', purpose: 'clients: no POP3' },
    { name: `_pop3._tcp.${domain}`, type: 'SRV', value: '0 0 0 .', purpose: 'clients: no POP3' },
    { name: `_autodiscover._tcp.${domain}`, type: 'SRV', value: srv(config.ports.https, host), purpose: 'Outlook autodiscover' },
    { name: autoconfig, type: 'CNAME', value: `${host}.`, purpose: 'Thunderbird autoconfig' },
    { name: autodiscover, type: 'CNAME', value: `${host}.`, purpose: 'Outlook autodiscover' },
    { name: mtaSts, type: 'CNAME', value: `${host}.`, purpose: 'MTA-STS policy host' },
  ];
}

/** Zone-file line; long TXT data split into 255-byte strings (RFC 1035 3.3.14). */
export function formatDnsRecord(r: DnsRecord): string {
  const value = r.type === 'TXT' ? (r.value.match(/.{1,255}/g) ?? ['']).map((c) => `"${c}"`).join(' ') : r.value;
  return `${r.name}. IN ${r.type} ${value}`;
}

export function dnsRecords(config: DnsRecordConfig, domain: string, dkim: DkimKey): string[] {
  return dnsRecordSet(config, domain, dkim).map(formatDnsRecord);
}
