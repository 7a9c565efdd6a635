/** Flags from a client (STORE, APPEND): system flags in canonical case, keywords checked (RFC 3501 2.3.2). */
import { MAX_FLAG_LENGTH, MAX_FLAGS_PER_MESSAGE, SYSTEM_FLAGS } from '../../domain/index.js';
import { ImapBad, ImapCodes, ImapNo } from '../session/imap-error.js';

const SYSTEM_BY_LOWER = new Map(SYSTEM_FLAGS.map((f) => [f.toLowerCase(), f as string]));

/** \Recent is the server's (dropped); an unknown `\Flag` is BAD, as it is no valid flag (RFC 3501 9 flag-extension). */
export function cleanFlags(flags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const f of flags) {
    if (f.startsWith('\\')) {
      const lower = f.toLowerCase();
      if (lower === '\\recent') continue;
      const sys = SYSTEM_BY_LOWER.get(lower);
      if (!sys) throw new ImapBad(`Invalid system flag ${f.slice(0, 40)}`);
      out.add(sys);
      continue;
    }
    if (f.length > MAX_FLAG_LENGTH) throw new ImapNo(ImapCodes.limit, 'Keyword too long');
    out.add(f);
  }
  if (out.size > MAX_FLAGS_PER_MESSAGE) throw new ImapNo(ImapCodes.limit, 'Too many flags');
  return [...out];
}
