/**
 * LIST/LSUB patterns (RFC 3501 6.3.8): `*` matches anything, `%` anything but the hierarchy
 * delimiter. Matched by a bit-parallel NFA (no regex, no backtracking): runs of wildcards are
 * collapsed first (`%*%*%*` is `*`), so the cost is O(name length x pattern length / 32).
 */
import { MAILBOX_DELIMITER } from '../../domain/index.js';

const DELIM = MAILBOX_DELIMITER.charCodeAt(0);
/** No mailbox name is longer (mailbox-names.ts), so a pattern with more literal characters matches nothing. */
const MAX_LITERALS = 1024;

type Token = number | '*' | '%';

/** INBOX is case-insensitive (RFC 3501 5.1), also as the first level of a pattern. */
function canonicalInbox(s: string): string {
  if (s.length >= 5 && s.slice(0, 5).toUpperCase() === 'INBOX' && (s.length === 5 || s[5] === MAILBOX_DELIMITER)) return 'INBOX' + s.slice(5);
  return s;
}

export class ListPattern {
  private readonly m: number;
  private readonly words: number;
  private readonly star: Uint32Array;
  private readonly pct: Uint32Array;
  private readonly wild: Uint32Array;
  private readonly lit = new Map<number, Uint32Array>();
  private readonly impossible: boolean;
  readonly hasWildcards: boolean;

  constructor(readonly pattern: string) {
    const tokens: Token[] = [];
    let literals = 0;
    const p = canonicalInbox(pattern);
    for (const ch of p) {
      if (ch === '*' || ch === '%') {
        const last = tokens[tokens.length - 1];
        if (last === '*' || last === '%') {
          if (ch === '*') tokens[tokens.length - 1] = '*';
          continue;
        }
        tokens.push(ch);
      } else {
        tokens.push(ch.codePointAt(0)!);
        literals++;
      }
    }
    this.impossible = literals > MAX_LITERALS;
    this.hasWildcards = tokens.some((t) => typeof t !== 'number');
    this.m = tokens.length;
    this.words = (this.m >>> 5) + 1;
    this.star = new Uint32Array(this.words);
    this.pct = new Uint32Array(this.words);
    this.wild = new Uint32Array(this.words);
    tokens.forEach((t, i) => {
      const w = i >>> 5;
      const bit = 1 << (i & 31);
      if (t === '*') {
        this.star[w]! |= bit;
        this.wild[w]! |= bit;
      } else if (t === '%') {
        this.pct[w]! |= bit;
        this.wild[w]! |= bit;
      } else {
        let mask = this.lit.get(t);
        if (!mask) this.lit.set(t, (mask = new Uint32Array(this.words)));
        mask[w]! |= bit;
      }
    });
  }

  /** dst = src << 1 (state i -> i+1) OR-ed into dst. */
  private shiftOr(dst: Uint32Array, src: Uint32Array): void {
    let carry = 0;
    for (let w = 0; w < this.words; w++) {
      const v = src[w]!;
      dst[w]! |= ((v << 1) | carry) >>> 0;
      carry = v >>> 31;
    }
  }

  /** Epsilon moves: a wildcard may match nothing. Wildcards are never adjacent, so one pass is enough. */
  private close(d: Uint32Array, tmp: Uint32Array): void {
    for (let w = 0; w < this.words; w++) tmp[w] = d[w]! & this.wild[w]!;
    this.shiftOr(d, tmp);
  }

  /**
   * Runs the name through the NFA. `prefixOk`: also true when the name could be extended to a
   * match below it (some state is still alive after a delimiter), for LSUB `%` parents and
   * RECURSIVEMATCH.
   */
  private run(name: string): Uint32Array | null {
    if (this.impossible) return null;
    let d = new Uint32Array(this.words);
    let next = new Uint32Array(this.words);
    const tmp = new Uint32Array(this.words);
    d[0] = 1;
    this.close(d, tmp);
    for (const ch of canonicalInbox(name)) {
      const c = ch.codePointAt(0)!;
      const lit = this.lit.get(c);
      next.fill(0);
      let alive = 0;
      for (let w = 0; w < this.words; w++) {
        next[w] = (d[w]! & this.star[w]!) | (c !== DELIM ? d[w]! & this.pct[w]! : 0);
        tmp[w] = lit ? d[w]! & lit[w]! : 0;
      }
      this.shiftOr(next, tmp);
      this.close(next, tmp);
      for (let w = 0; w < this.words; w++) alive |= next[w]!;
      if (!alive) return null;
      [d, next] = [next, d];
    }
    return d;
  }

  matches(name: string): boolean {
    const d = this.run(name);
    return !!d && (d[this.m >>> 5]! & (1 << (this.m & 31))) !== 0;
  }

  /** Could a mailbox below `name` (`name/...`) match? */
  matchesBelow(name: string): boolean {
    const d = this.run(name + MAILBOX_DELIMITER);
    return d !== null;
  }
}
