import { isIP } from 'node:net';
import { DeliveryError } from './delivery-error.js';

/** The DNS lookups routing needs; node:dns/promises fits as is, tests inject their own. */
export interface MxResolver {
  resolveMx(domain: string): Promise<Array<{ exchange: string; priority: number }>>;
  resolve4(host: string): Promise<string[]>;
  resolve6(host: string): Promise<string[]>;
}

export interface RouteHost {
  /** Name used for TLS SNI and in DSNs. */
  name: string;
  /** Address to connect to. */
  address: string;
  port: number;
}

export interface Smarthost {
  host: string;
  port: number;
}

const NO_DATA = new Set(['ENODATA', 'ENOTFOUND', 'NOTFOUND', 'ENONAME']);

function code(err: unknown): string {
  return (err as { code?: string } | null)?.code ?? '';
}

async function addresses(resolver: MxResolver, host: string): Promise<string[]> {
  if (isIP(host)) return [host];
  const settled = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
  const out: string[] = [];
  let hardError: unknown = null;
  for (const s of settled) {
    if (s.status === 'fulfilled') out.push(...s.value);
    else if (!NO_DATA.has(code(s.reason))) hardError = s.reason;
  }
  if (out.length === 0 && hardError) throw hardError;
  return out;
}

/**
 * Where to deliver mail for a domain (RFC 5321 5.1): MX hosts by preference (equal preferences
 * shuffled, as 5.1 asks), each resolved to its addresses; with no MX records the domain itself is
 * the implicit MX (A/AAAA fallback); a null MX (RFC 7505: one record, exchange ".") means the
 * domain takes no mail at all, a permanent 5.1.10. A smarthost replaces all of it.
 */
export async function resolveRoute(domain: string, opts: { resolver: MxResolver; port: number; smarthost?: Smarthost | null }): Promise<RouteHost[]> {
  if (opts.smarthost) {
    const { host, port } = opts.smarthost;
    const addrs = isIP(host) ? [host] : await addresses(opts.resolver, host).catch(() => [host]);
    return (addrs.length ? addrs : [host]).map((address) => ({ name: host, address, port }));
  }
  // An address literal (user@[192.0.2.1], RFC 5321 4.1.3) needs no DNS.
  const literal = /^\[(?:ipv6:)?([0-9a-f:.]+)\]$/i.exec(domain);
  if (literal && isIP(literal[1]!)) return [{ name: literal[1]!, address: literal[1]!, port: opts.port }];

  let mx: Array<{ exchange: string; priority: number }>;
  try {
    mx = await opts.resolver.resolveMx(domain);
  } catch (err) {
    if (code(err) === 'ENOTFOUND') {
      throw new DeliveryError(`domain ${domain} does not exist`, { permanent: true, status: '5.1.2' });
    }
    if (!NO_DATA.has(code(err))) {
      throw new DeliveryError(`MX lookup for ${domain} failed: ${code(err) || String(err)}`, { permanent: false, status: '4.4.3' });
    }
    mx = [];
  }
  if (mx.length === 1 && (mx[0]!.exchange === '' || mx[0]!.exchange === '.')) {
    throw new DeliveryError(`${domain} publishes a null MX: it accepts no mail`, { permanent: true, status: '5.1.10', diagnostic: 'null MX (RFC 7505)' });
  }
  const hosts = mx.length
    ? mx
        .filter((r) => r.exchange && r.exchange !== '.')
        .map((r) => ({ ...r, tie: Math.random() }))
        .sort((a, b) => a.priority - b.priority || a.tie - b.tie)
        .map((r) => r.exchange.replace(/\.$/, ''))
    : [domain];

  const out: RouteHost[] = [];
  let lookupError: unknown = null;
  for (const name of hosts.slice(0, 10)) {
    try {
      for (const address of await addresses(opts.resolver, name)) out.push({ name, address, port: opts.port });
    } catch (err) {
      lookupError = err;
    }
  }
  if (out.length === 0) {
    if (mx.length === 0 && !lookupError) {
      throw new DeliveryError(`${domain} has no MX and no address records`, { permanent: true, status: '5.1.2' });
    }
    throw new DeliveryError(`no address found for the mail hosts of ${domain}`, { permanent: false, status: '4.4.3' });
  }
  return out;
}
