import type { DNSResolver } from 'mailauth';

/** DNS answers by name then record type, in `dns.promises.resolve` shapes (TXT: string[][]). */
export type DnsTable = Record<string, Partial<Record<string, string[] | string[][]>>>;

/**
 * A resolver answering from a fixed table, for tests and offline setups: names missing from the
 * table give ENOTFOUND, missing types ENODATA, as node's resolver does, so mailauth reports
 * `none` (not `temperror`) for them.
 */
export function createTableResolver(table: DnsTable): DNSResolver {
  const lower = new Map(Object.entries(table).map(([name, rr]) => [name.toLowerCase().replace(/\.$/, ''), rr]));
  return async (domain: string, rrtype: string) => {
    const name = domain.toLowerCase().replace(/\.$/, '');
    const entry = lower.get(name);
    if (!entry) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    const answer = entry[rrtype.toUpperCase()];
    if (!answer) throw Object.assign(new Error(`query${rrtype} ENODATA ${name}`), { code: 'ENODATA' });
    return answer;
  };
}
