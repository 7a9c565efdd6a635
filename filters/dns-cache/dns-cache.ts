import { getServers, Resolver } from 'node:dns/promises';
import type { DnsAnswer, MxAnswer } from './answer-shapes.js';
import { CACHED_TYPES } from './answer-shapes.js';
import { LruMap } from './lru.js';
import { createUdpSource, type DnsResult, type DnsSource } from './udp-source.js';

export interface DnsCacheOptions {
  /** Resolvers as `host` or `host:port` (HERON_DNS_SERVER); default the system's (resolv.conf). */
  servers?: string[];
  /** Entries kept (names x types); the least recently used goes first. */
  maxEntries?: number;
  /** Upper bound on any positive TTL, seconds. */
  maxTtlSec?: number;
  /** Upper bound on a negative TTL (NXDOMAIN, no records), seconds (RFC 2308 5). */
  maxNegativeTtlSec?: number;
  /** How long a failure (SERVFAIL, timeout) is remembered, seconds (RFC 2308 7.1 allows up to 5 min). */
  failureTtlSec?: number;
  /** Per try; one retry. */
  timeoutMs?: number;
  /** Where answers come from instead of UDP to `servers` (tests). */
  source?: DnsSource;
  now?: () => number;
}

export const DNS_CACHE_DEFAULTS = { maxEntries: 10_000, maxTtlSec: 3600, maxNegativeTtlSec: 900, failureTtlSec: 5, timeoutMs: 2000 } as const;

/** node's dns.promises shapes; fits mailauth's `resolver` and outbound's MxResolver. */
export interface DnsCache {
  /** mailauth's resolver signature: (name, 'TXT' | 'MX' | 'A' | ...). */
  resolve(name: string, rrtype: string): Promise<DnsAnswer>;
  resolveMx(name: string): Promise<MxAnswer>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveTxt(name: string): Promise<string[][]>;
  stats(): { entries: number; hits: number; misses: number };
  close(): void;
}

type Entry = { expires: number; result: DnsResult } | { expires: number; failure: { message: string; code: string } };

function dnsError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * An in-process DNS cache in front of the resolver, for the SPF/DKIM/DMARC/ARC checks and
 * outbound MX routing: answers live for their TTL (RFC 1035 3.2.1), NXDOMAIN and empty answers
 * for the SOA-derived negative TTL (RFC 2308), failures for a few seconds so a sick resolver
 * does not make every message wait for its own timeout; concurrent lookups of one name share
 * one query; at most `maxEntries` are kept. Errors carry node's codes (ENOTFOUND, ENODATA,
 * ETIMEOUT, ESERVFAIL), which mailauth maps to none / temperror.
 */
export function createDnsCache(opts: DnsCacheOptions = {}): DnsCache {
  const o = { ...DNS_CACHE_DEFAULTS, ...opts };
  const now = opts.now ?? Date.now;
  const servers = opts.servers ?? getServers();
  const udp = opts.source ? null : createUdpSource({ servers, timeoutMs: o.timeoutMs });
  const source: DnsSource = opts.source ?? udp!.query;
  const entries = new LruMap<string, Entry>(o.maxEntries);
  const inflight = new Map<string, Promise<Entry>>();
  // Record types the cache does not model go straight to node's resolver.
  const passthrough = new Resolver({ timeout: o.timeoutMs, tries: 2 });
  if (servers.length > 0) passthrough.setServers(servers);
  let hits = 0;
  let misses = 0;

  async function fetchEntry(name: string, type: string): Promise<Entry> {
    try {
      const result = await source(name, type);
      const cap = 'answer' in result ? o.maxTtlSec : o.maxNegativeTtlSec;
      return { expires: now() + Math.max(0, Math.min(result.ttlSec, cap)) * 1000, result };
    } catch (err) {
      const e = err as { message?: string; code?: string };
      return { expires: now() + o.failureTtlSec * 1000, failure: { message: e.message ?? String(err), code: e.code ?? 'ESERVFAIL' } };
    }
  }

  async function lookup(nameIn: string, type: string): Promise<DnsAnswer> {
    const name = nameIn.toLowerCase().replace(/\.$/, '');
    const key = `${type} ${name}`;
    let entry = entries.get(key);
    if (entry && entry.expires <= now()) {
      entries.delete(key);
      entry = undefined;
    }
    if (entry) hits++;
    else {
      misses++;
      let pending = inflight.get(key);
      if (!pending) {
        pending = fetchEntry(name, type).then((e) => {
          inflight.delete(key);
          // A zero TTL answers this lookup (and those waiting on it) but is not kept.
          if (e.expires > now()) entries.set(key, e);
          return e;
        });
        inflight.set(key, pending);
      }
      entry = await pending;
    }
    if ('failure' in entry) throw dnsError(entry.failure.message, entry.failure.code);
    if ('code' in entry.result) throw dnsError(`query${type} ${entry.result.code} ${name}`, entry.result.code);
    // A copy: callers may sort or trim what they get.
    return structuredClone(entry.result.answer);
  }

  const resolve = (name: string, rrtype: string): Promise<DnsAnswer> => {
    const type = rrtype.toUpperCase();
    if (!CACHED_TYPES.has(type)) return passthrough.resolve(name, type) as Promise<DnsAnswer>;
    return lookup(name, type);
  };

  return {
    resolve,
    resolveMx: (name) => resolve(name, 'MX') as Promise<MxAnswer>,
    resolve4: (name) => resolve(name, 'A') as Promise<string[]>,
    resolve6: (name) => resolve(name, 'AAAA') as Promise<string[]>,
    resolveTxt: (name) => resolve(name, 'TXT') as Promise<string[][]>,
    stats: () => ({ entries: entries.size, hits, misses }),
    close: () => udp?.close(),
  };
}
