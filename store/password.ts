import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/**
 * Password hashing. The stored string is a PHC string (`$argon2id$v=19$m=...$salt$hash`), so it
 * names its own algorithm and parameters: a later change of algorithm or cost verifies old
 * hashes and can re-hash on the next successful login (see needsRehash).
 */

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): affordable on small shared hosts.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export async function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, OPTIONS);
}

/** False (never a throw) for a wrong password, an unknown algorithm or a malformed hash. */
export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  if (!hash.startsWith('$argon2')) return false;
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}

export function needsRehash(hash: string): boolean {
  if (!hash.startsWith('$argon2id$')) return true;
  try {
    return argon2.needsRehash(hash, OPTIONS);
  } catch {
    return true;
  }
}

/**
 * Checks a login's password against its stored hash; with no such login, against a valid hash
 * of a random password, so a lookup miss costs the same time as a wrong password. One per store.
 */
export function createLoginPasswordCheck(): (hash: string | null, plain: string) => Promise<boolean> {
  let dummyHash: Promise<string> | undefined;
  return async (hash, plain) => {
    if (hash === null) {
      dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
      await verifyPassword(await dummyHash, plain);
      return false;
    }
    return verifyPassword(hash, plain);
  };
}
