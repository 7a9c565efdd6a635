import { createHash, timingSafeEqual } from 'node:crypto';

/** Whether an Authorization header carries exactly `Bearer <secret>` (compared in constant time). */
export function bearerMatches(header: string, secret: string): boolean {
  const m = /^Bearer (\S{1,4096})$/i.exec(header);
  if (!m) return false;
  const a = createHash('sha256').update(m[1]!).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}
