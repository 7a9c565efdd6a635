import { MAX_FLAG_LENGTH, MAX_FLAGS_PER_MESSAGE, SYSTEM_FLAGS } from '../domain/index.js';
import { ImapCodes, ImapNo } from './response-codes.js';

const SYSTEM_BY_LOWER = new Map(SYSTEM_FLAGS.map((f) => [f.toLowerCase(), f as string]));

/** RFC 3501 atoms exclude CTLs and SP. */
function hasControlOrSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * Flags from a client: system flags in canonical case, \Recent dropped (session-only, RFC 3501
 * 2.3.2), keywords kept as atoms within the domain limits.
 */
export function cleanFlags(flags: unknown[]): string[] {
  const out = new Set<string>();
  for (const raw of flags) {
    const f = String(raw ?? '');
    if (!f) continue;
    if (f.startsWith('\\')) {
      const sys = SYSTEM_BY_LOWER.get(f.toLowerCase());
      if (sys) out.add(sys);
      continue;
    }
    if (f.length > MAX_FLAG_LENGTH || hasControlOrSpace(f) || /[(){%*"\\\]]/.test(f)) throw new ImapNo(ImapCodes.cannot, 'Invalid keyword');
    out.add(f);
  }
  if (out.size > MAX_FLAGS_PER_MESSAGE) throw new ImapNo(ImapCodes.limit, 'Too many flags');
  return [...out];
}
