import type { DnsRecord } from 'dns-socket';

/** Record types the cache answers itself, in the shapes of node's dns.promises.resolve(). */
export const CACHED_TYPES = new Set(['A', 'AAAA', 'TXT', 'MX', 'PTR', 'CNAME', 'NS']);

export type MxAnswer = Array<{ exchange: string; priority: number }>;
/** A/AAAA/PTR/CNAME/NS: string[]; TXT: string[][] (one array of chunks per record); MX: MxAnswer. */
export type DnsAnswer = string[] | string[][] | MxAnswer;

/**
 * Converts wire records (dns-packet) of one type to node's shapes. TXT chunks are decoded as
 * latin1, byte for byte, as node's resolver does (SPF, DKIM and DMARC records are ASCII).
 */
export function nodeShape(type: string, records: DnsRecord[]): DnsAnswer {
  switch (type) {
    case 'TXT':
      return records.map((r) => (Array.isArray(r.data) ? r.data : [r.data]).map((c: Buffer | string) => (typeof c === 'string' ? c : Buffer.from(c).toString('latin1'))));
    case 'MX':
      return records.map((r) => ({ exchange: String(r.data.exchange ?? ''), priority: Number(r.data.preference ?? 0) }));
    default:
      return records.map((r) => String(r.data));
  }
}
