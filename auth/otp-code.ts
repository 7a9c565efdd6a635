import { randomInt } from 'node:crypto';

/** A 6-digit one-time code from the CSPRNG. */
export function newOtpCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
