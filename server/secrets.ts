import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import type { SecretStore } from '../domain/index.js';

export const JWT_SECRET = 'jwt';

/**
 * The configured JWT secret, or the one in the shared store, made once (so tokens issued by one
 * node verify on every other). A secret an earlier Heron wrote to dataDir/jwt-secret is taken
 * over, so tokens already issued stay valid. Never logged.
 */
export async function ensureJwtSecret(config: Config, secrets: SecretStore): Promise<string> {
  if (config.auth.jwtSecret) return config.auth.jwtSecret;
  const stored = await secrets.get(JWT_SECRET);
  if (stored) return stored;
  const legacy = join(config.dataDir, 'jwt-secret');
  const value = existsSync(legacy) ? readFileSync(legacy, 'utf8').trim() : randomBytes(48).toString('base64url');
  return secrets.putIfAbsent(JWT_SECRET, value);
}
