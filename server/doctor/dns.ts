import type { Resolver } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import type { DnsRecord } from '../dns-records.js';
import { fail, pass, withTimeout, type CheckResult } from './check.js';

const strip = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** What a lookup found: records, "none" (NXDOMAIN/NODATA), or an error (timeout, SERVFAIL). */
async function lookup<T>(what: string, fn: () => Promise<T[]>): Promise<T[] | { error: string }> {
  try {
    return await withTimeout(fn(), 5000, what);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') return [];
    return { error: code ?? (err as Error).message };
  }
}

function tagValue(record: string, tag: string): string | null {
  const m = new RegExp(`(?:^|;)\\s*${tag}\\s*=\\s*([^;]*)`).exec(record);
  return m ? m[1]!.replace(/\s+/g, '') : null;
}

/** Compares one expected record with what DNS answers. */
async function checkRecord(resolver: Resolver, r: DnsRecord, hostname: string): Promise<CheckResult> {
  const label = `${r.type} ${r.name}`;
  const publish = `publish: ${r.name}. IN ${r.type} ${r.type === 'TXT' ? `"${r.value}"` : r.value}`;
  if (r.type === 'MX') {
    const found = await lookup(label, () => resolver.resolveMx(r.name));
    if ('error' in found) return fail('dns', label, `lookup failed: ${found.error}`, publish);
    const want = strip(r.value.split(' ')[1]!);
    return found.some((mx) => strip(mx.exchange) === want)
      ? pass('dns', label, `points to ${want}`)
      : fail('dns', label, found.length ? `points to ${found.map((m) => m.exchange).join(', ')}` : 'no MX record', publish);
  }
  if (r.type === 'TXT') {
    const found = await lookup(label, () => resolver.resolveTxt(r.name));
    if ('error' in found) return fail('dns', label, `lookup failed: ${found.error}`, publish);
    const texts = found.map((chunks) => chunks.join(''));
    const kind = r.value.split(';')[0]!.split(' ')[0]!; // v=spf1, v=DKIM1, v=DMARC1, v=STSv1, v=TLSRPTv1
    const same = texts.filter((t) => t.toLowerCase().startsWith(kind.toLowerCase()));
    if (same.length === 0) return fail('dns', label, `no ${kind} record`, publish);
    if (same.length > 1 && kind !== 'v=DKIM1') return fail('dns', label, `${same.length} ${kind} records (there must be one)`, `keep only: ${publish.slice(9)}`);
    const t = same[0]!;
    if (kind === 'v=DKIM1' && tagValue(t, 'p') !== tagValue(r.value, 'p')) return fail('dns', label, 'the published key is not the one Heron signs with', publish);
    if (kind === 'v=STSv1' && tagValue(t, 'id') !== tagValue(r.value, 'id')) return fail('dns', label, `id=${tagValue(t, 'id')} but the policy served now has id=${tagValue(r.value, 'id')}`, publish);
    if (kind === 'v=spf1' && !/\s(mx|a:[^\s]+|ip[46]:|include:)/i.test(` ${t}`)) return fail('dns', label, `"${t}" does not allow this server to send`, publish);
    return pass('dns', label, `"${t.length > 60 ? t.slice(0, 57) + '...' : t}"`);
  }
  if (r.type === 'SRV') {
    const [, , port, target] = r.value.split(' ');
    const found = await lookup(label, () => resolver.resolveSrv(r.name));
    if ('error' in found) return fail('dns', label, `lookup failed: ${found.error}`, publish);
    // RFC 6186 3.4: "." means not offered; leaving the record out says nothing wrong either.
    if (target === '.') return found.every((s) => s.name === '' || s.name === '.') ? pass('dns', label, 'not offered') : fail('dns', label, `points to ${found.map((s) => `${s.name}:${s.port}`).join(', ')}, a service Heron does not offer`, publish);
    return found.some((s) => strip(s.name) === strip(target!) && s.port === Number(port))
      ? pass('dns', label, `${strip(target!)}:${port}`)
      : fail('dns', label, found.length ? `points to ${found.map((s) => `${s.name}:${s.port}`).join(', ')}` : 'no SRV record', publish);
  }
  // CNAME, or an A/AAAA record with the same addresses as the host name.
  const cname = await lookup(label, () => resolver.resolveCname(r.name));
  if (!('error' in cname) && cname.some((c) => strip(c) === strip(hostname))) return pass('dns', label, `-> ${strip(hostname)}`);
  const [mine, theirs] = await Promise.all([lookup(hostname, () => resolver.resolve4(hostname)), lookup(r.name, () => resolver.resolve4(r.name))]);
  if (!('error' in mine) && !('error' in theirs) && theirs.length > 0 && theirs.every((a) => mine.includes(a))) return pass('dns', label, `${theirs.join(', ')} (same as ${hostname})`);
  return fail('dns', label, 'error' in cname ? `lookup failed: ${cname.error}` : cname.length ? `-> ${cname.join(', ')}` : 'not published', publish);
}

/** The host name's addresses (A/AAAA); mail to it needs them before anything else. */
async function hostAddresses(resolver: Resolver, hostname: string): Promise<{ addresses: string[]; error: string | null }> {
  const [v4, v6] = await Promise.all([lookup(hostname, () => resolver.resolve4(hostname)), lookup(hostname, () => resolver.resolve6(hostname))]);
  const addresses = [...('error' in v4 ? [] : v4), ...('error' in v6 ? [] : v6)];
  return { addresses, error: 'error' in v4 ? v4.error : null };
}

/** Every record `heron domain dns` prints, looked up and compared. */
export async function checkDns(resolver: Resolver, records: DnsRecord[], hostname: string): Promise<CheckResult[]> {
  return Promise.all(records.map((r) => checkRecord(resolver, r, hostname)));
}

/**
 * The PTR owner name of an address (RFC 1035 3.5, RFC 3596 2.5). Asked with resolvePtr rather than
 * reverse(): c-ares answers reverse() from /etc/hosts first, so 127.0.0.1 would come back as
 * "localhost" whatever the DNS server says, and the doctor must report what receivers see.
 */
export function ptrName(ip: string): string {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text); // ::ffff:192.0.2.1 carries its last 32 bits as IPv4
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -v4[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${[...groups.map((g) => g.padStart(4, '0')).join('')].reverse().join('.')}.ip6.arpa`;
}

/** RFC 5321 4.1.4 / receivers' practice: the server's addresses map back (PTR) to its host name. */
export async function checkPtr(resolver: Resolver, hostname: string): Promise<CheckResult[]> {
  const { addresses, error } = await hostAddresses(resolver, hostname);
  if (addresses.length === 0) {
    return [fail('ptr', `A/AAAA ${hostname}`, error ? `lookup failed: ${error}` : 'the host name does not resolve', `publish: ${hostname}. IN A <this server's IPv4 address>`)];
  }
  const out: CheckResult[] = [pass('ptr', `A/AAAA ${hostname}`, addresses.join(', '))];
  for (const ip of addresses) {
    const names = await lookup(`PTR ${ip}`, () => resolver.resolvePtr(ptrName(ip)));
    if ('error' in names) out.push(fail('ptr', `PTR ${ip}`, `lookup failed: ${names.error}`, `ask the provider of ${ip} for a PTR record -> ${hostname}`));
    else if (names.some((n) => strip(n) === strip(hostname))) out.push(pass('ptr', `PTR ${ip}`, `-> ${strip(hostname)}`));
    else out.push(fail('ptr', `PTR ${ip}`, names.length ? `-> ${names.join(', ')}` : 'no PTR record', `ask the provider of ${ip} to set its PTR record to ${hostname} (receivers distrust mail from addresses that do not map back)`));
  }
  return out;
}
