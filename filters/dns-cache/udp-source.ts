import { isIPv6 } from 'node:net';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import dnsSocket, { type DnsPacket, type DnsRecord } from 'dns-socket';
import { CACHED_TYPES, nodeShape, type DnsAnswer } from './answer-shapes.js';

/** One lookup: the records, or "no such name / no such records", each with how long it may be kept. */
export type DnsResult = { answer: DnsAnswer; ttlSec: number } | { code: 'ENOTFOUND' | 'ENODATA'; ttlSec: number };

/** Where answers come from; tests pass their own. Throws for failures (SERVFAIL, timeout), with node's codes. */
export type DnsSource = (name: string, type: string) => Promise<DnsResult>;

/** A negative answer without an SOA to say otherwise is kept this long. */
const DEFAULT_NEGATIVE_TTL = 60;
/** The truncated-answer fallback (node's resolver, over TCP) does not report TTLs. */
const UNKNOWN_TTL = 60;

function parseServer(server: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(server) ?? /^([^:]+)(?::(\d+))?$/.exec(server);
  if (!m) return { host: server, port: 53 };
  return { host: m[1]!, port: m[2] ? Number(m[2]) : 53 };
}

function failure(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/** RFC 2308 5: a negative answer lives for the SOA's own TTL or its MINIMUM, whichever is less. */
function negativeTtl(res: DnsPacket): number {
  const soa = (res.authorities ?? []).find((r) => r.type === 'SOA');
  if (!soa) return DEFAULT_NEGATIVE_TTL;
  return Math.min(soa.ttl ?? DEFAULT_NEGATIVE_TTL, Number(soa.data?.minimum ?? DEFAULT_NEGATIVE_TTL));
}

/**
 * Queries the configured resolvers over UDP with EDNS0 (RFC 6891, 4096-byte answers), which gives
 * the TTLs node's resolver hides. A truncated answer (RFC 7766: retry over TCP) goes to node's
 * resolver on the same servers. Servers are tried at random on retries.
 */
export function createUdpSource(opts: { servers: string[]; timeoutMs?: number; retries?: number }): { query: DnsSource; close(): void } {
  const servers = opts.servers.map(parseServer);
  const v6 = servers.length > 0 && servers.every((s) => isIPv6(s.host));
  const socket = dnsSocket({ socket: createSocket(v6 ? 'udp6' : 'udp4'), timeout: opts.timeoutMs ?? 2000, retries: opts.retries ?? 1, maxQueries: 4096 });
  const tcp = new Resolver({ timeout: opts.timeoutMs ?? 2000, tries: 2 });
  tcp.setServers(opts.servers);

  const udp = (name: string, type: string): Promise<DnsPacket> => {
    const server = servers[Math.floor(Math.random() * servers.length)]!;
    const question: DnsPacket = {
      type: 'query',
      flags: dnsSocket.RECURSION_DESIRED,
      questions: [{ type, name, class: 'IN' }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096 } as unknown as DnsRecord],
    };
    return new Promise((resolve, reject) =>
      socket.query(question, server.port, server.host, (err, res) => (err ? reject(failure(`${type} ${name}: ${err.message}`, /timed out/i.test(err.message) ? 'ETIMEOUT' : 'ECONNREFUSED')) : resolve(res))),
    );
  };

  async function query(name: string, type: string): Promise<DnsResult> {
    if (!CACHED_TYPES.has(type)) throw failure(`record type ${type} is not handled here`, 'ENOTIMP');
    const res = await udp(name, type);
    if (((res.flags ?? 0) & dnsSocket.TRUNCATED_RESPONSE) !== 0) {
      try {
        return { answer: (await tcp.resolve(name, type)) as DnsAnswer, ttlSec: UNKNOWN_TTL };
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ENOTFOUND' || code === 'ENODATA') return { code, ttlSec: UNKNOWN_TTL };
        throw err;
      }
    }
    if (res.rcode === 'NXDOMAIN') return { code: 'ENOTFOUND', ttlSec: negativeTtl(res) };
    if (res.rcode && res.rcode !== 'NOERROR') throw failure(`${type} ${name}: ${res.rcode}`, res.rcode === 'REFUSED' ? 'EREFUSED' : 'ESERVFAIL');
    const answers = res.answers ?? [];
    const records = answers.filter((r) => r.type === type);
    if (records.length === 0) return { code: 'ENODATA', ttlSec: negativeTtl(res) };
    // The chain's CNAMEs bound the answer's life as much as the records do.
    const ttlSec = Math.min(...answers.filter((r) => r.type === type || r.type === 'CNAME').map((r) => r.ttl ?? 0));
    return { answer: nodeShape(type, records), ttlSec };
  }

  return {
    query,
    close: () => socket.destroy(),
  };
}
