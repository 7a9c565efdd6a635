/** A small seeded PRNG (mulberry32) and mutators, so a failing run can be replayed from its seed. */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  next(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const NASTY = ['\r', '\n', '\0', '\r\n', '\r\n.\r\n', ' ', ':', '<', '>', '"', '\\', '%00', '\u00ff', '\u{1F600}', '=?utf-8?B?AAAA?=', '{', '}', '[', ']', '../', '%', '\t'];

/** One random mutation of `s`: flip, insert nasty bytes, duplicate, truncate, or blow up a slice. */
export function mutate(rng: Rng, s: string): string {
  if (s.length === 0) return rng.pick(NASTY);
  const at = rng.int(s.length);
  switch (rng.int(6)) {
    case 0:
      return s.slice(0, at) + String.fromCharCode(rng.int(256)) + s.slice(at + 1);
    case 1:
      return s.slice(0, at) + rng.pick(NASTY) + s.slice(at);
    case 2:
      return s.slice(0, at) + s.slice(at, at + 1 + rng.int(20)).repeat(1 + rng.int(50)) + s.slice(at);
    case 3:
      return s.slice(0, at);
    case 4:
      return s.slice(0, at) + 'A'.repeat(rng.pick([100, 1000, 5000, 70_000])) + s.slice(at);
    default:
      return s.slice(0, at) + s.slice(at + 1 + rng.int(10));
  }
}

export function mutateN(rng: Rng, s: string, max = 4): string {
  let out = s;
  for (let i = 1 + rng.int(max); i > 0; i--) out = mutate(rng, out);
  return out;
}

/** A random JSON-ish value: type confusion, deep nesting, huge strings, prototype keys. */
export function randomJson(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return rng.pick([0, -1, 1e308, -0, 2 ** 53 + 1, 3.14, 1e-300]);
    case 2:
      return rng.chance(0.5);
    case 3:
      return rng.pick(['', 'a', 'x'.repeat(300), 'ann@example.test', '+15550001234', '123456', '\u0000', '<script>', '../../etc/passwd', 'a'.repeat(70_000)]);
    case 4:
      return mutateN(rng, 'ann@example.test');
    case 5:
      return rng.pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    case 6:
      return Array.from({ length: rng.int(5) }, () => randomJson(rng, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(5); i > 0; i--) o[rng.pick(['username', 'password', 'phone', 'firstName', 'to', 'cc', 'subject', 'text', 'html', 'name', 'email', 'code', 'userId', 'challengeId', 'contactIds', '__proto__', 'constructor', 'limit'])] = randomJson(rng, depth + 1);
      return o;
    }
  }
}
