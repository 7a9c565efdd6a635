import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the built web app is: the configured directory, else `dist/web` of the package this file
 * belongs to (found by walking up to its package.json, so it holds for server/ run from source
 * and for dist/server/ alike).
 */
export function webRoot(configured: string | undefined): string {
  if (configured) return resolve(configured);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5 && !existsSync(join(dir, 'package.json')); i++) dir = dirname(dir);
  return join(dir, 'dist', 'web');
}
