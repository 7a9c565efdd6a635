import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterBus, DkimKey, DkimKeyStore, GetDkimKey, UserStore } from '../domain/index.js';

export type { DkimKey };

export const DKIM_SELECTOR = 'heron';

function keyFromPem(domain: string, privateKeyPem: string): DkimKey {
  const publicKeyBase64 = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');
  return { domain, selector: DKIM_SELECTOR, privateKeyPem, publicKeyBase64 };
}

/** A new RSA 2048 key (RFC 6376 3.3: rsa-sha256). */
export function generateDkimKey(domain: string): DkimKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return keyFromPem(domain, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}

/**
 * The domain's key from the shared store, made once if missing. A key an earlier Heron wrote to
 * dataDir/dkim is taken over, so its published DNS record stays valid. Racing nodes agree:
 * putIfAbsent keeps the first.
 */
export async function ensureDkimKey(keys: DkimKeyStore, domain: string, legacyDataDir?: string): Promise<DkimKey> {
  const d = domain.toLowerCase();
  const stored = await keys.get(d);
  if (stored) return stored;
  const legacy = legacyDataDir ? join(legacyDataDir, 'dkim', `${d}.${DKIM_SELECTOR}.pem`) : null;
  const key = legacy && existsSync(legacy) ? keyFromPem(d, readFileSync(legacy, 'utf8')) : generateDkimKey(d);
  return keys.putIfAbsent(key);
}

/**
 * GetDkimKey for outbound signing: local domains only, read through a short cache. A domain or
 * key added on any node is picked up at once when the cluster bus announces it, else within
 * `ttlMs`. A local domain with no key yet gets one (first writer wins).
 */
export function createDkimKeyring(opts: { users: UserStore; keys: DkimKeyStore; bus?: ClusterBus; ttlMs?: number; legacyDataDir?: string }): GetDkimKey {
  const ttl = opts.ttlMs ?? 60_000;
  const cache = new Map<string, { key: DkimKey | null; at: number }>();
  opts.bus?.subscribe((e) => {
    if (e.type === 'domains') cache.clear();
    else if (e.type === 'dkim') cache.delete(e.domain.toLowerCase());
  });
  return async (domain) => {
    const d = domain.toLowerCase();
    const hit = cache.get(d);
    if (hit && Date.now() - hit.at < ttl) return hit.key;
    const key = (await opts.users.isLocalDomain(d)) ? await ensureDkimKey(opts.keys, d, opts.legacyDataDir) : null;
    cache.set(d, { key, at: Date.now() });
    return key;
  };
}
