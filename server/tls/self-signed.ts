import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import type { SecretStore, TlsMaterial } from '../../domain/index.js';

export const SELF_SIGNED_SECRET = 'tls';

export function parseTlsSecret(value: string | null): TlsMaterial | null {
  if (!value) return null;
  const parsed = JSON.parse(value) as Partial<TlsMaterial>;
  return typeof parsed.cert === 'string' && typeof parsed.key === 'string' ? { cert: parsed.cert, key: parsed.key } : null;
}

async function generate(commonName: string, names: string[]): Promise<TlsMaterial> {
  const notAfter = new Date();
  notAfter.setFullYear(notAfter.getFullYear() + 5);
  const altNames = [...new Set([commonName, ...names])].map((value) => ({ type: 2 as const, value }));
  const pems = await selfsigned.generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [{ name: 'subjectAltName', altNames: [...altNames, { type: 7, ip: '127.0.0.1' }] }],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * The self-signed certificate, made once and kept in the shared secrets so every node serves
 * the same one and clients that accepted it on first use keep trusting it. A pair an older
 * Heron left in dataDir/tls is taken over. The last resort: the start-up log warns while it serves.
 */
export async function ensureSelfSigned(secrets: SecretStore, dataDir: string, commonName: string, names: string[]): Promise<TlsMaterial> {
  const stored = parseTlsSecret(await secrets.get(SELF_SIGNED_SECRET));
  if (stored) return stored;
  const certPath = join(dataDir, 'tls', 'cert.pem');
  const keyPath = join(dataDir, 'tls', 'key.pem');
  const material =
    existsSync(certPath) && existsSync(keyPath)
      ? { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') }
      : await generate(commonName, names);
  // First writer wins: two nodes starting at once end up serving the same pair.
  return parseTlsSecret(await secrets.putIfAbsent(SELF_SIGNED_SECRET, JSON.stringify(material)))!;
}
