import type { User, UserStore } from '../domain/index.js';

/** RFC 2142 mailbox names every mail domain must accept; postmaster also by RFC 5321 4.5.1. */
export const ROLE_LOCAL_PARTS = new Set(['postmaster', 'abuse']);

const CACHE_MS = 60_000;
const SCAN_PAGE = 1000;

/**
 * A UserStore whose resolveAddress also knows postmaster@ and abuse@ of every local domain
 * (any case: RFC 5321 4.5.1 makes "postmaster" case-insensitive). They go to the domain's
 * administrator: an admin with an address in that domain, else any admin, else the domain's
 * oldest user. A real address or alias of that name always wins.
 */
export function withRoleAddresses(users: UserStore): UserStore {
  const cache = new Map<string, { userId: string | null; at: number }>();

  async function adminOf(domain: string): Promise<string | null> {
    const hit = cache.get(domain);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.userId;
    let anyAdmin: User | null = null;
    let firstOfDomain: User | null = null;
    let found: User | null = null;
    for (let offset = 0; !found; offset += SCAN_PAGE) {
      const page = await users.listUsers({ limit: SCAN_PAGE, offset });
      for (const u of page) {
        if (u.disabled) continue;
        const inDomain = u.address.endsWith(`@${domain}`);
        if (u.admin && inDomain) {
          found = u;
          break;
        }
        if (u.admin) anyAdmin ??= u;
        if (inDomain) firstOfDomain ??= u;
      }
      if (page.length < SCAN_PAGE) break;
    }
    const userId = (found ?? anyAdmin ?? firstOfDomain)?.id ?? null;
    cache.set(domain, { userId, at: Date.now() });
    return userId;
  }

  async function resolveAddress(address: string): Promise<{ userId: string; address: string } | null> {
    const direct = await users.resolveAddress(address);
    if (direct || typeof address !== 'string') return direct;
    const a = address.trim().toLowerCase();
    const at = a.lastIndexOf('@');
    if (at <= 0 || !ROLE_LOCAL_PARTS.has(a.slice(0, at))) return null;
    const domain = a.slice(at + 1);
    if (!(await users.isLocalDomain(domain))) return null;
    const userId = await adminOf(domain);
    return userId ? { userId, address: a } : null;
  }

  return new Proxy(users, {
    get(target, prop, receiver) {
      if (prop === 'resolveAddress') return resolveAddress;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
