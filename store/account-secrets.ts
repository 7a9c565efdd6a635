import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Hashes for short-lived or high-entropy account secrets, the same in every backend. OTP codes get a per-row salt; app passwords
 * are 80+ bits of randomness, so a plain SHA-256 is enough and allows an indexed lookup
 * (a slow KDF would have to be run against every app password of the user on each login).
 */
export function hashOtp(code: string): string {
  const salt = randomBytes(12).toString('base64url');
  return `${salt}$${digest(salt + '\0' + code)}`;
}

export function otpMatches(stored: string, code: string): boolean {
  const [salt, want] = stored.split('$');
  if (!salt || !want) return false;
  const got = digest(salt + '\0' + code);
  return got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want));
}

/** 16 lower-case letters (~75 bits), shown in groups of four like Gmail's. */
export function generateAppPassword(): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += String.fromCharCode(97 + randomInt(26));
  return s.replace(/(.{4})(?!$)/g, '$1 ');
}

export function hashAppPassword(password: string): string {
  return digest('app-password\0' + password.replace(/\s+/g, '').toLowerCase());
}

function digest(s: string): string {
  return createHash('sha256').update(s).digest('base64url');
}
