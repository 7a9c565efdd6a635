import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import * as packet from 'dns-packet';
import type { DnsPacket, DnsRecord } from 'dns-socket';
import { authenticate, type DNSResolver } from 'mailauth';
import { createDnsCache, type DnsCache } from '../../filters/dns-cache/index.js';
import { resolveRoute } from '../../outbound/route.js';

/**
 * A DNS server on loopback speaking the real protocol over UDP (public DNS cannot be reached
 * here): a zone table with TTLs, an SOA for negative answers, a name that answers SERVFAIL, a
 * name whose answer is truncated, and a count of the queries it saw.
 */
class ZoneServer {
  readonly socket: Socket = createSocket('udp4');
  /** DNS over TCP on the same port (RFC 1035 4.2.2: two-byte length prefix), for truncated answers. */
  readonly tcp: Server = createServer((conn) => {
    let buf = Buffer.alloc(0);
    conn.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const q = packet.decode(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
        const question = q.questions![0]!;
        this.queries.push(`tcp ${question.type} ${question.name}`);
        const out = packet.encode(this.answer(q.id!, question, false));
        const len = Buffer.alloc(2);
        len.writeUInt16BE(out.length);
        conn.write(Buffer.concat([len, out]));
      }
    });
    conn.on('error', () => undefined);
  });
  readonly queries: string[] = [];
  delayMs = 0;
  constructor(readonly zone: Record<string, DnsRecord[]>) {
    this.socket.on('message', (msg, rinfo) => {
      const q = packet.decode(msg);
      const question = q.questions![0]!;
      this.queries.push(`${question.type} ${question.name}`);
      const answer = this.answer(q.id!, question, true);
      setTimeout(() => this.socket.send(packet.encode(answer), rinfo.port, rinfo.address), this.delayMs);
    });
  }
  answer(id: number, question: { type: string; name: string }, udp: boolean): DnsPacket {
    const base = { id, type: 'response' as const, questions: [{ ...question, class: 'IN' }] };
    // dns-packet encodes the RCODE from the low bits of `flags` (RFC 1035 4.1.1).
    const flags = (rcode: number) => ({ flags: packet.AUTHORITATIVE_ANSWER | packet.RECURSION_DESIRED | rcode });
    const soa: DnsRecord = { type: 'SOA', name: 'test', ttl: 30, data: { mname: 'ns.test', rname: 'h.test', serial: 1, refresh: 60, retry: 60, expire: 60, minimum: 10 } };
    if (question.name === 'servfail.test') return { ...base, ...flags(2) };
    // RFC 2181 9: over UDP only the TC bit, the client must ask again over TCP.
    if (question.name === 'big.test' && udp) return { ...base, flags: flags(0).flags | 0x200 };
    const records = this.zone[question.name.toLowerCase()];
    if (!records) return { ...base, ...flags(3), authorities: [soa] };
    const answers = records.filter((r) => r.type === question.type || r.type === 'CNAME');
    return { ...base, ...flags(0), answers, ...(answers.length ? {} : { authorities: [soa] }) };
  }
  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve()));
    const port = this.socket.address().port;
    await new Promise<void>((resolve) => this.tcp.listen(port, '127.0.0.1', () => resolve()));
    return port;
  }
  count(query: string): number {
    return this.queries.filter((q) => q === query).length;
  }
}

describe('DNS cache', () => {
  let clock = 1_000_000;
  const server = new ZoneServer({
    'example.test': [
      { type: 'TXT', name: 'example.test', ttl: 300, data: [Buffer.from('v=spf1 ip4:192.0.2.0/24 -all')] },
      { type: 'MX', name: 'example.test', ttl: 300, data: { preference: 10, exchange: 'mx.example.test' } },
      { type: 'A', name: 'example.test', ttl: 300, data: '192.0.2.10' },
    ],
    'mx.example.test': [{ type: 'A', name: 'mx.example.test', ttl: 5, data: '192.0.2.25' }],
    '_dmarc.example.test': [{ type: 'TXT', name: '_dmarc.example.test', ttl: 300, data: [Buffer.from('v=DMARC1; p=reject')] }],
    'big.test': [{ type: 'TXT', name: 'big.test', ttl: 300, data: [Buffer.from('v=DKIM1; k=rsa; p=' + 'A'.repeat(200))] }],
    'short.test': [{ type: 'A', name: 'short.test', ttl: 0, data: '192.0.2.99' }],
    'alias.test': [
      { type: 'CNAME', name: 'alias.test', ttl: 20, data: 'example.test' },
      { type: 'A', name: 'example.test', ttl: 300, data: '192.0.2.10' },
    ],
  });
  let cache: DnsCache;
  let port: number;

  before(async () => {
    port = await server.listen();
    cache = createDnsCache({ servers: [`127.0.0.1:${port}`], now: () => clock, timeoutMs: 500 });
  });
  after(() => {
    cache.close();
    server.socket.close();
    server.tcp.close();
  });

  test('answers in node shapes and serves repeats from the cache until the TTL runs out', async () => {
    assert.deepEqual(await cache.resolveTxt('example.test'), [['v=spf1 ip4:192.0.2.0/24 -all']]);
    assert.deepEqual(await cache.resolveMx('Example.TEST.'), [{ exchange: 'mx.example.test', priority: 10 }]);
    assert.deepEqual(await cache.resolve4('mx.example.test'), ['192.0.2.25']);
    for (let i = 0; i < 5; i++) await cache.resolveTxt('example.test');
    assert.equal(server.count('TXT example.test'), 1);
    clock += 4_000;
    await cache.resolve4('mx.example.test');
    assert.equal(server.count('A mx.example.test'), 1, 'within its 5 s TTL');
    clock += 2_000;
    await cache.resolve4('mx.example.test');
    assert.equal(server.count('A mx.example.test'), 2, 'asked again once the TTL passed');
  });

  test('a TTL of 0 is never kept', async () => {
    await cache.resolve4('short.test');
    await cache.resolve4('short.test');
    assert.equal(server.count('A short.test'), 2);
  });

  test('a CNAME chain is followed and bounds the TTL', async () => {
    assert.deepEqual(await cache.resolve4('alias.test'), ['192.0.2.10']);
    clock += 21_000;
    await cache.resolve4('alias.test');
    assert.equal(server.count('A alias.test'), 2, 'the CNAME (20 s) expires before the A (300 s)');
  });

  test('NXDOMAIN and empty answers are cached for the SOA minimum, with node error codes', async () => {
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);
    assert.equal(await code(cache.resolveTxt('nosuch.test')), 'ENOTFOUND');
    assert.equal(await code(cache.resolveTxt('nosuch.test')), 'ENOTFOUND');
    assert.equal(await code(cache.resolve6('example.test')), 'ENODATA');
    assert.equal(await code(cache.resolve6('example.test')), 'ENODATA');
    assert.equal(server.count('TXT nosuch.test'), 1);
    assert.equal(server.count('AAAA example.test'), 1);
    clock += 11_000;
    await code(cache.resolveTxt('nosuch.test'));
    assert.equal(server.count('TXT nosuch.test'), 2, 'SOA minimum 10 s');
  });

  test('a failure is remembered only briefly', async () => {
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);
    assert.equal(await code(cache.resolveTxt('servfail.test')), 'ESERVFAIL');
    assert.equal(await code(cache.resolveTxt('servfail.test')), 'ESERVFAIL');
    assert.equal(server.count('TXT servfail.test'), 1);
    clock += 6_000;
    await code(cache.resolveTxt('servfail.test'));
    assert.equal(server.count('TXT servfail.test'), 2);
  });

  test('concurrent lookups of one name share one query', async () => {
    server.delayMs = 50;
    try {
      const all = await Promise.all(Array.from({ length: 20 }, () => cache.resolveTxt('_dmarc.example.test')));
      assert.equal(all.length, 20);
      assert.equal(server.count('TXT _dmarc.example.test'), 1);
    } finally {
      server.delayMs = 0;
    }
  });

  test('the cache is bounded: the least recently used entry goes first', async () => {
    const small = createDnsCache({ servers: [`127.0.0.1:${port}`], now: () => clock, maxEntries: 2 });
    try {
      await small.resolveTxt('example.test');
      await small.resolveMx('example.test');
      await small.resolveTxt('example.test');
      await small.resolve4('example.test');
      assert.equal(small.stats().entries, 2);
      const before = server.count('MX example.test');
      await small.resolveMx('example.test');
      assert.equal(server.count('MX example.test'), before + 1, 'MX was evicted');
      const txt = server.count('TXT example.test');
      await small.resolve4('example.test');
      assert.equal(server.count('TXT example.test'), txt);
    } finally {
      small.close();
    }
  });

  test('a truncated answer is asked again over TCP', async () => {
    const txt = await cache.resolveTxt('big.test');
    assert.match(txt[0]![0]!, /^v=DKIM1; k=rsa; p=A{200}$/);
    assert.ok(server.count('tcp TXT big.test') >= 1);
    const seen = server.queries.length;
    await cache.resolveTxt('big.test');
    assert.equal(server.queries.length, seen, 'then cached');
  });

  test('callers get copies: changing an answer does not change the cache', async () => {
    const mx = await cache.resolveMx('example.test');
    mx.length = 0;
    assert.equal((await cache.resolveMx('example.test')).length, 1);
  });

  test('mailauth runs its SPF and DMARC lookups through it', async () => {
    const before = server.queries.length;
    const raw = Buffer.from('From: a@example.test\r\nTo: b@heron.test\r\nSubject: hi\r\n\r\nhello\r\n');
    const res = await authenticate(raw, { ip: '192.0.2.7', helo: 'mail.example.test', sender: 'a@example.test', mta: 'mx.heron.test', resolver: cache.resolve as DNSResolver, disableBimi: true });
    assert.equal(res.spf && res.spf.status.result, 'pass');
    assert.equal(res.dmarc && res.dmarc.status.result, 'pass');
    assert.equal(server.queries.length, before, 'every answer was cached by the tests above');
  });

  test('outbound routing resolves MX hosts through it', async () => {
    const hosts = await resolveRoute('example.test', { resolver: cache, port: 25 });
    assert.deepEqual(hosts, [{ name: 'mx.example.test', address: '192.0.2.25', port: 25 }]);
  });
});
