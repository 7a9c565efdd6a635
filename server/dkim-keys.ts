import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DkimKey } from '../domain/index.js';

export type { DkimKey };

export const DKIM_SELECTOR = 'heron';

/** RSA 2048 key per domain, made once into dataDir/dkim (RFC 6376 3.3: rsa-sha256). */
export function ensureDkimKey(dataDir: string, domain: string): DkimKey {
  const dir = join(dataDir, 'dkim');
  const path = join(dir, `${domain}.${DKIM_SELECTOR}.pem`);
  let privateKeyPem: string;
  if (existsSync(path)) {
    privateKeyPem = readFileSync(path, 'utf8');
  } else {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(path, privateKeyPem, { mode: 0o600 });
  }
  const publicKeyBase64 = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');
  return { domain, selector: DKIM_SELECTOR, privateKeyPem, publicKeyBase64 };
}
