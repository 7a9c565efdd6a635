// The parts of dns-socket 4.2 (and the dns-packet 5 records it returns) that Heron uses.
declare module 'dns-socket' {
  import type { Socket } from 'node:dgram';

  export interface DnsRecord {
    type: string;
    name: string;
    ttl?: number;
    class?: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    data?: any;
  }
  export interface DnsPacket {
    id?: number;
    type?: 'query' | 'response';
    flags?: number;
    rcode?: string;
    questions?: Array<{ type: string; name: string; class?: string }>;
    answers?: DnsRecord[];
    authorities?: DnsRecord[];
    additionals?: DnsRecord[];
  }
  interface DnsSocket {
    query(query: DnsPacket, port: number, host: string, cb: (err: Error | null, res: DnsPacket) => void): number;
    destroy(onclose?: () => void): void;
  }
  interface DnsSocketOptions {
    retries?: number;
    timeout?: number;
    timeoutChecks?: number;
    maxQueries?: number;
    socket?: Socket;
  }
  function dnsSocket(opts?: DnsSocketOptions): DnsSocket;
  namespace dnsSocket {
    const TRUNCATED_RESPONSE: number;
    const RECURSION_DESIRED: number;
  }
  export default dnsSocket;
}

// dns-packet 5 (dns-socket's codec): tests use it to play a DNS server on loopback.
declare module 'dns-packet' {
  import type { DnsPacket } from 'dns-socket';
  export function encode(packet: DnsPacket): Buffer;
  export function decode(buf: Buffer): DnsPacket;
  export const AUTHORITATIVE_ANSWER: number;
  export const RECURSION_DESIRED: number;
}
