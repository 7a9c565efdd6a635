/**
 * ImapValue -> wire bytes (RFC 3501 4, RFC 9051 4). Producers say what a value is; only here is
 * it decided whether a string goes quoted or as a literal: quoted when it is short, has no CR, LF
 * or NUL, and is 7-bit (or the client accepts UTF-8, RFC 6855 / RFC 9051).
 */
import type { ImapLiteral, ImapValue } from './values.js';

export type StreamSource = { length: number; open(): NodeJS.ReadableStream };
/** Text (UTF-8 encoded when written), raw bytes, or a literal body to stream. */
export type Piece = string | Buffer | StreamSource;

export interface EncodeOptions {
  /** 8-bit text may go in quoted strings (UTF8=ACCEPT enabled or IMAP4rev2). */
  utf8: boolean;
}

/** Longest string sent quoted; longer ones are literals, which need no escaping scan on the client. */
const MAX_QUOTED = 1024;

function quotable(s: string, utf8: boolean): boolean {
  if (s.length > MAX_QUOTED) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0d || c === 0x0a || c === 0) return false;
    if (c >= 0x80 && !utf8) return false;
  }
  return true;
}

function quote(s: string): string {
  let needs = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) {
      needs = true;
      break;
    }
  }
  return needs ? '"' + s.replace(/["\\]/g, '\\$&') + '"' : '"' + s + '"';
}

export class Encoder {
  readonly pieces: Piece[] = [];
  private text = '';

  constructor(private readonly options: EncodeOptions) {}

  /** Text that is already valid protocol (atoms, numbers, punctuation). */
  raw(s: string): this {
    this.text += s;
    return this;
  }

  value(v: ImapValue): this {
    if (v === null) this.text += 'NIL';
    else if (typeof v === 'number') this.text += Number.isInteger(v) && v >= 0 ? String(v) : '0';
    else if (typeof v === 'bigint') this.text += v >= 0n ? v.toString() : '0';
    else if (typeof v === 'string') this.string(v);
    else if (Array.isArray(v)) {
      this.text += '(';
      for (let i = 0; i < v.length; i++) {
        if (i) this.text += ' ';
        this.value(v[i]!);
      }
      this.text += ')';
    } else if ('atom' in v) this.text += v.atom;
    else if ('run' in v) for (const x of v.run) this.value(x);
    else this.literal(v);
    return this;
  }

  /** Values separated by single spaces. */
  values(vs: readonly ImapValue[]): this {
    for (let i = 0; i < vs.length; i++) {
      if (i) this.text += ' ';
      this.value(vs[i]!);
    }
    return this;
  }

  string(s: string): this {
    if (quotable(s, this.options.utf8)) this.text += quote(s);
    else this.bytes(Buffer.from(s, 'utf8'), false);
    return this;
  }

  literal(l: ImapLiteral): this {
    const src = l.literal;
    if (Buffer.isBuffer(src)) return this.bytes(src, !!l.binary);
    this.text += `${l.binary ? '~' : ''}{${src.length}}\r\n`;
    this.flushText();
    if (src.length > 0) this.pieces.push(src);
    return this;
  }

  private bytes(data: Buffer, binary: boolean): this {
    this.text += `${binary ? '~' : ''}{${data.length}}\r\n`;
    this.flushText();
    this.pieces.push(data);
    return this;
  }

  private flushText(): void {
    if (this.text) {
      this.pieces.push(this.text);
      this.text = '';
    }
  }

  /** Ends the response with CRLF and returns its pieces. */
  finish(): Piece[] {
    this.text += '\r\n';
    this.flushText();
    return this.pieces;
  }
}

/** Human-readable text after a status: one line, printable. */
export function statusText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length && out.length < 400; i++) {
    const c = text.charCodeAt(i);
    out += c < 0x20 || c === 0x7f ? ' ' : text[i];
  }
  return out || 'done';
}

/** `* <values>` CRLF. */
export function untagged(values: readonly ImapValue[], options: EncodeOptions): Piece[] {
  return new Encoder(options).raw('* ').values(values).finish();
}

/** `tag|* OK|NO|BAD|BYE|PREAUTH [CODE data] text` CRLF. */
export function statusLine(tag: string, status: 'OK' | 'NO' | 'BAD' | 'BYE' | 'PREAUTH', text: string, code?: string | null, codeData?: string): string {
  const c = code ? `[${code}${codeData ? ' ' + codeData : ''}] ` : '';
  return `${tag} ${status} ${c}${statusText(text)}\r\n`;
}
