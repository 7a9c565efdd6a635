/**
 * RFC 5322 3.4 address lists, read the way Dovecot's message-address parser reads them: groups
 * kept as start/end markers (the ENVELOPE model of RFC 3501 7.4.2), routes (obs-route) kept as
 * the ENVELOPE's at-domain-list, and a comment used as the display name of a bare addr-spec
 * (`user@host (Real Name)`). Lenient: whatever cannot be read is skipped, never thrown. One pass
 * over tokens, linear in the header value.
 */

export interface ParsedAddress {
  /** Display name as written (quotes removed, encoded words kept), or null. */
  name: string | null;
  /** obs-route `@a,@b` (without the final colon), or null. */
  route: string | null;
  mailbox: string | null;
  host: string | null;
  /** Group start: `name` is the group name. Group end: `groupEnd`. */
  group?: 'start' | 'end';
}

type Tok =
  | { k: 'word'; v: string; sp: boolean; quoted: boolean }
  | { k: 'comment'; v: string; sp: boolean }
  | { k: 'sym'; v: string; sp: boolean };

const SYMBOLS = new Set([...'<>@,;:.']);

function tokenize(s: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let sp = false;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      sp = true;
      i++;
      continue;
    }
    if (c === '(') {
      // Text is collected as slices between escapes, never a character at a time.
      let depth = 0;
      const parts: string[] = [];
      let from = i + 1;
      for (; i < s.length; i++) {
        const d = s[i]!;
        if (d === '\\' && i + 1 < s.length) {
          parts.push(s.slice(from, i));
          from = ++i;
        } else if (d === '(') {
          if (depth++ === 0) from = i + 1;
        } else if (d === ')' && --depth === 0) {
          break;
        }
      }
      parts.push(s.slice(from, Math.min(i, s.length)));
      i++;
      toks.push({ k: 'comment', v: parts.join(''), sp });
    } else if (c === '"') {
      const parts: string[] = [];
      let from = ++i;
      for (; i < s.length; i++) {
        const d = s[i]!;
        if (d === '\\' && i + 1 < s.length) {
          parts.push(s.slice(from, i));
          from = ++i;
        } else if (d === '"') break;
      }
      parts.push(s.slice(from, Math.min(i, s.length)));
      i++;
      toks.push({ k: 'word', v: parts.join(''), sp, quoted: true });
    } else if (c === '[') {
      const end = s.indexOf(']', i);
      const stop = end < 0 ? s.length : end + 1;
      toks.push({ k: 'word', v: s.slice(i, stop), sp, quoted: false });
      i = stop;
    } else if (SYMBOLS.has(c)) {
      toks.push({ k: 'sym', v: c, sp });
      i++;
    } else {
      const start = i;
      while (i < s.length) {
        const d = s[i]!;
        if (d === ' ' || d === '\t' || d === '\r' || d === '\n' || d === '(' || d === '"' || d === '[' || SYMBOLS.has(d)) break;
        i++;
      }
      toks.push({ k: 'word', v: s.slice(start, i), sp, quoted: false });
    }
    sp = false;
  }
  return toks;
}

const isSym = (t: Tok | undefined, v: string) => t !== undefined && t.k === 'sym' && t.v === v;

/** Words and dots as a phrase: single spaces where the header had white space, comments left out. */
function phrase(toks: Tok[], from: number, to: number): string | null {
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const t = toks[i]!;
    if (t.k === 'comment') continue;
    if (out.length > 0 && t.sp) out.push(' ');
    out.push(t.v);
  }
  return out.length === 0 ? null : out.join('');
}

/** An addr-spec from tokens: local part and domain joined without the white space or comments around them. */
function addrSpec(toks: Tok[], from: number, to: number): { mailbox: string | null; host: string | null; comment: string | null } {
  let at = -1;
  for (let i = to - 1; i >= from; i--) {
    if (isSym(toks[i], '@')) {
      at = i;
      break;
    }
  }
  let comment: string | null = null;
  const join = (a: number, b: number) => {
    const out: string[] = [];
    for (let i = a; i < b; i++) {
      const t = toks[i]!;
      if (t.k === 'comment') {
        comment ??= t.v.trim() || null;
        continue;
      }
      // Words separated by white space without a dot (obsolete, or a broken phrase) keep a space.
      if (out.length > 0 && t.sp && t.k === 'word' && out[out.length - 1] !== '.') out.push(' ');
      out.push(t.v);
    }
    return out.length === 0 ? null : out.join('');
  };
  if (at < 0) return { mailbox: join(from, to), host: null, comment };
  return { mailbox: join(from, at), host: join(at + 1, to), comment };
}

/** Parses an address-list (or mailbox-list) header value. */
export function parseAddressList(value: string): ParsedAddress[] {
  const toks = tokenize(value);
  const out: ParsedAddress[] = [];
  let inGroup = false;
  let i = 0;
  while (i < toks.length) {
    const t = toks[i]!;
    if (isSym(t, ',')) {
      i++;
      continue;
    }
    if (isSym(t, ';')) {
      if (inGroup) {
        out.push({ name: null, route: null, mailbox: null, host: null, group: 'end' });
        inGroup = false;
      }
      i++;
      continue;
    }
    // Find what ends this item: '<' (name-addr), ':' (group), or ',' / ';' / end (addr-spec).
    // A ':' after an '@' is not a group's (`a@b 12:34` is an address and garbage).
    let j = i;
    let sawAt = false;
    while (j < toks.length && !isSym(toks[j], '<') && !isSym(toks[j], ',') && !isSym(toks[j], ';') && !(isSym(toks[j], ':') && !inGroup && !sawAt)) {
      if (isSym(toks[j], '@')) sawAt = true;
      j++;
    }
    const stop = toks[j];
    if (isSym(stop, ':')) {
      out.push({ name: phrase(toks, i, j) ?? '', route: null, mailbox: null, host: null, group: 'start' });
      inGroup = true;
      i = j + 1;
      continue;
    }
    if (isSym(stop, '<')) {
      const name = phrase(toks, i, j);
      let k = j + 1;
      let route: string | null = null;
      if (isSym(toks[k], '@')) {
        // obs-route: "@a,@b:" before the addr-spec.
        let colon = k;
        while (colon < toks.length && !isSym(toks[colon], ':') && !isSym(toks[colon], '>')) colon++;
        if (isSym(toks[colon], ':')) {
          route = toks.slice(k, colon).filter((x) => x.k !== 'comment').map((x) => x.v).join('');
          k = colon + 1;
        }
      }
      let close = k;
      while (close < toks.length && !isSym(toks[close], '>')) close++;
      const spec = addrSpec(toks, k, close);
      out.push({ name, route, mailbox: spec.mailbox, host: spec.host });
      // Skip anything after '>' up to the next separator.
      i = close + 1;
      while (i < toks.length && !isSym(toks[i], ',') && !isSym(toks[i], ';')) i++;
      continue;
    }
    if (j > i) {
      const spec = addrSpec(toks, i, j);
      if (spec.mailbox !== null || spec.host !== null) out.push({ name: spec.comment, route: null, mailbox: spec.mailbox, host: spec.host });
    }
    i = j;
  }
  if (inGroup) out.push({ name: null, route: null, mailbox: null, host: null, group: 'end' });
  return out;
}

/** `mailbox@host` (or what there is of it). */
export function addrSpecText(a: ParsedAddress): string {
  if (a.mailbox !== null && a.host !== null) return `${a.mailbox}@${a.host}`;
  return a.mailbox ?? a.host ?? '';
}
