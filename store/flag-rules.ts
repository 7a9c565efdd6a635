import { MAX_FLAGS_PER_MESSAGE, MAX_FLAG_LENGTH, StoreError, SYSTEM_FLAGS } from '../domain/index.js';
import type { SystemFlag } from '../domain/index.js';

// What a flag is and how STORE changes a list, for both backends; how each stores them stays with it.

const SYSTEM_BY_LOWER = new Map<string, SystemFlag>(SYSTEM_FLAGS.map((f) => [f.toLowerCase(), f]));

// RFC 3501 flag-keyword = atom: no CTL, SP, ( ) { % * " \ ]
// eslint-disable-next-line no-control-regex
const KEYWORD = /^[^\x00-\x20\x7f(){%*"\\\]]+$/;

export function lookupSystemFlag(flag: string): SystemFlag | undefined {
  return SYSTEM_BY_LOWER.get(flag.toLowerCase());
}

/**
 * Validates and canonicalises client flags: system flags in their RFC 3501 spelling, \Recent
 * dropped (it is per session, never stored), keywords de-duplicated case-insensitively.
 */
export function normalizeFlags(flags: readonly string[]): string[] {
  if (!Array.isArray(flags)) throw new StoreError('invalid', 'flags must be a list');
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of flags) {
    if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_FLAG_LENGTH) {
      throw new StoreError('invalid', 'invalid flag');
    }
    if (raw.toLowerCase() === '\\recent') continue;
    let flag: string;
    if (raw.startsWith('\\')) {
      const sys = lookupSystemFlag(raw);
      if (!sys) throw new StoreError('invalid', `unknown system flag ${JSON.stringify(raw.slice(0, 40))}`);
      flag = sys;
    } else {
      if (!KEYWORD.test(raw)) throw new StoreError('invalid', 'invalid keyword');
      flag = raw;
    }
    const key = flag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(flag);
  }
  if (out.length > MAX_FLAGS_PER_MESSAGE) throw new StoreError('invalid', 'too many flags');
  return out;
}

/** Applies STORE FLAGS / +FLAGS / -FLAGS (RFC 3501 6.4.6) to a current flag list. */
export function applyFlagUpdate(current: readonly string[], action: 'set' | 'add' | 'remove', flags: readonly string[]): string[] {
  if (action === 'set') return [...flags];
  if (action === 'add') {
    const have = new Set(current.map((f) => f.toLowerCase()));
    const out = [...current];
    for (const f of flags) if (!have.has(f.toLowerCase())) out.push(f);
    if (out.length > MAX_FLAGS_PER_MESSAGE) throw new StoreError('invalid', 'too many flags');
    return out;
  }
  const drop = new Set(flags.map((f) => f.toLowerCase()));
  return current.filter((f) => !drop.has(f.toLowerCase()));
}

export function sameFlags(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a.map((f) => f.toLowerCase()));
  return b.every((f) => set.has(f.toLowerCase()));
}
