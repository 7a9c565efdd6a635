export { createDnsCache, DNS_CACHE_DEFAULTS, type DnsCache, type DnsCacheOptions } from './dns-cache.js';
export { createUdpSource, type DnsResult, type DnsSource } from './udp-source.js';
export type { DnsAnswer, MxAnswer } from './answer-shapes.js';
