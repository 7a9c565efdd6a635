import type { MimeParams } from '../../domain/index.js';
import { decodeCharset } from './charset.js';
import { decodeEncodedWords } from './encoded-words.js';
import { decodeHexEscapes } from './hex-escapes.js';

/**
 * Structured MIME header values: Content-Type and Content-Disposition (RFC 2045 5.1, RFC 2183),
 * `token/token *(; attribute=value)` with RFC 822 comments and quoted strings. Read leniently,
 * the way mail in the wild is written: a value that is neither a token nor a quoted string
 * (`name=my file.pdf`) runs to the next `;`. One left-to-right pass, linear in the value.
 */

export interface MimeValue {
  /** The value before the parameters, e.g. `text/plain` or `attachment`, as written. */
  value: string;
  params: MimeParams;
}

const TSPECIALS = new Set([...'()<>@,;:\\"/[]?=']);

class Reader {
  i = 0;
  constructor(readonly s: string) {}

  get done(): boolean {
    return this.i >= this.s.length;
  }

  peek(): string {
    return this.s[this.i] ?? '';
  }

  /** Skips white space and (nested) comments. */
  skipCfws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
        this.i++;
      } else if (c === '(') {
        let depth = 0;
        for (; this.i < s.length; this.i++) {
          const d = s[this.i];
          if (d === '\\') this.i++;
          else if (d === '(') depth++;
          else if (d === ')' && --depth === 0) {
            this.i++;
            break;
          }
        }
      } else {
        return;
      }
    }
  }

  token(): string {
    const start = this.i;
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c <= ' ' || c === '\x7f' || TSPECIALS.has(c)) break;
      this.i++;
    }
    return s.slice(start, this.i);
  }

  /** At a `"`: the unquoted content (backslash escapes removed); an unterminated string runs to the end. */
  quoted(): string {
    const s = this.s;
    const out: string[] = [];
    let from = ++this.i;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '\\' && this.i + 1 < s.length) {
        out.push(s.slice(from, this.i));
        from = this.i + 1;
        this.i += 2;
      } else if (c === '"') {
        out.push(s.slice(from, this.i));
        this.i++;
        return out.join('');
      } else {
        this.i++;
      }
    }
    out.push(s.slice(from));
    return out.join('');
  }

  /** Skips to the next `;` (outside quotes) without reading what lies between. */
  toSemicolon(): string {
    const start = this.i;
    const s = this.s;
    let inQuote = false;
    for (; this.i < s.length; this.i++) {
      const c = s[this.i];
      if (c === '"') inQuote = !inQuote;
      else if (c === '\\' && inQuote) this.i++;
      else if (c === ';' && !inQuote) break;
    }
    return s.slice(start, this.i);
  }
}

/** Reads `value *(; name=value)`. `value` keeps what is written before the first `;`, trimmed and comment-free. */
export function parseMimeValue(text: string): MimeValue {
  const r = new Reader(text);
  r.skipCfws();
  const head: string[] = [];
  // The head runs to the first ';' (type "/" subtype with optional white space and comments).
  while (!r.done && r.peek() !== ';') {
    const c = r.peek();
    if (c === '(' || c === ' ' || c === '\t') {
      r.skipCfws();
      continue;
    }
    if (c === '"') {
      head.push(r.quoted());
      continue;
    }
    const t = r.token();
    if (t === '') {
      head.push(c);
      r.i++;
    } else {
      head.push(t);
    }
  }
  const value = head.join('');
  const params: MimeParams = [];
  while (!r.done) {
    r.i++; // the ';'
    r.skipCfws();
    if (r.done) break;
    const name = r.token();
    r.skipCfws();
    if (name === '' || r.peek() !== '=') {
      // Not `name=value`: skip this parameter.
      r.toSemicolon();
      continue;
    }
    r.i++;
    r.skipCfws();
    let v: string;
    if (r.peek() === '"') {
      v = r.quoted();
      r.skipCfws();
      if (!r.done && r.peek() !== ';') r.toSemicolon();
    } else {
      const start = r.i;
      v = r.token();
      r.skipCfws();
      if (!r.done && r.peek() !== ';') v = (text.slice(start, r.i) + r.toSemicolon()).trim();
    }
    params.push([name.toLowerCase(), v]);
  }
  return { value, params };
}

export interface ContentType {
  type: string;
  subtype: string;
  params: MimeParams;
}

/** Content-Type (RFC 2045 5.1); null when the head is not `type/subtype` (callers then apply the RFC 2045 5.2 default). */
export function parseContentType(text: string): ContentType | null {
  const { value, params } = parseMimeValue(text);
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) return null;
  return { type: value.slice(0, slash), subtype: value.slice(slash + 1), params };
}

/** The first parameter with that (lower-case) name, as written. */
export function paramValue(params: MimeParams, name: string): string | null {
  for (const [n, v] of params) if (n === name) return v;
  return null;
}

/**
 * A parameter's value with RFC 2231 continuations (`name*0`, `name*1*`, ...) joined and
 * `charset'lang'%XX` decoded, else the plain `name` (with RFC 2047 encoded words decoded, as many
 * mailers write file names that way). Null when absent.
 */
export function decodeParam(params: MimeParams, name: string): string | null {
  let plain: string | null = null;
  let extended: string | null = null;
  const pieces: Array<{ index: number; value: string; encoded: boolean }> = [];
  for (const [n, v] of params) {
    if (n === name) plain ??= v;
    else if (n === `${name}*`) extended ??= v;
    else if (n.startsWith(`${name}*`)) {
      const m = /^\*(\d{1,3})(\*?)$/.exec(n.slice(name.length));
      if (m) pieces.push({ index: Number(m[1]), value: v, encoded: m[2] === '*' });
    }
  }
  if (extended !== null) return decode2231(extended, true);
  if (pieces.length > 0) {
    pieces.sort((a, b) => a.index - b.index);
    const first = pieces[0]!;
    let charset = 'us-ascii';
    const bytes: Buffer[] = [];
    for (const p of pieces) {
      let v = p.value;
      if (p === first && p.encoded) {
        const q1 = v.indexOf("'");
        const q2 = q1 >= 0 ? v.indexOf("'", q1 + 1) : -1;
        if (q2 >= 0) {
          charset = v.slice(0, q1) || 'us-ascii';
          v = v.slice(q2 + 1);
        }
      }
      bytes.push(p.encoded ? decodeHexEscapes(v, '%', false) : Buffer.from(v, 'utf8'));
    }
    return decodeCharset(Buffer.concat(bytes), charset);
  }
  return plain === null ? null : decodeEncodedWords(plain);
}

function decode2231(v: string, withCharset: boolean): string {
  let charset = 'us-ascii';
  if (withCharset) {
    const q1 = v.indexOf("'");
    const q2 = q1 >= 0 ? v.indexOf("'", q1 + 1) : -1;
    if (q2 < 0) return decodeEncodedWords(v);
    charset = v.slice(0, q1) || 'us-ascii';
    v = v.slice(q2 + 1);
  }
  return decodeCharset(decodeHexEscapes(v, '%', false), charset);
}
