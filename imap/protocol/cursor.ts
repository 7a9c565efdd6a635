/**
 * Reads the tokens of one framed command (RFC 9051 9, RFC 3501 9 formal syntax). Every method
 * either consumes what it names or throws a ProtocolError (answered BAD); nothing backtracks, so
 * a command is read in one pass over its bytes.
 */
import { ProtocolError } from './errors.js';
import type { Frame } from './command-reader.js';

const SP = 0x20;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

/** atom-specials: ( ) { SP CTL % * " \ ] (RFC 3501 9); 8-bit bytes are let through (clients send UTF-8 names unquoted). */
const ATOM_CHAR = new Uint8Array(256);
for (let c = 0x21; c < 0x100; c++) ATOM_CHAR[c] = 1;
for (const c of '(){%*"\\]') ATOM_CHAR[c.charCodeAt(0)] = 0;
ATOM_CHAR[0x7f] = 0;
/** ASTRING-CHAR adds resp-specials (`]`); list-char adds the wildcards `%` and `*`. */
const ASTRING_CHAR = ATOM_CHAR.slice();
ASTRING_CHAR[0x5d] = 1;
const LIST_CHAR = ASTRING_CHAR.slice();
LIST_CHAR[0x25] = 1;
LIST_CHAR[0x2a] = 1;
/** Tags: ASTRING-CHAR except `+`. */
const TAG_CHAR = ASTRING_CHAR.slice();
TAG_CHAR[0x2b] = 0;

const NAME_CHAR = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-') NAME_CHAR[c.charCodeAt(0)] = 1;

export interface CursorOptions {
  maxDepth: number;
  maxItems: number;
}

export class Cursor {
  private seg = 0;
  private pos = 0;
  private line: Buffer;
  /** Running count of list items and search keys, bounded by maxItems. */
  private items = 0;

  constructor(
    private readonly frame: Frame,
    readonly options: CursorOptions,
  ) {
    this.line = frame.segments[0] ?? Buffer.alloc(0);
  }

  /** Throws a BAD naming what was expected and where. */
  fail(what: string): never {
    const near = this.atLiteral() ? '{literal}' : this.line.toString('latin1', this.pos, Math.min(this.line.length, this.pos + 20));
    throw new ProtocolError(near ? `${what} (near "${near.replace(/[^\x20-\x7e]/g, '?')}")` : what);
  }

  /** One more item towards the per-command bound (lists, search keys). */
  count(n = 1): void {
    this.items += n;
    if (this.items > this.options.maxItems) throw new ProtocolError('Too many arguments', 'LIMIT');
  }

  /** At the end of the whole command. */
  get atEnd(): boolean {
    return this.pos >= this.line.length && this.seg >= this.frame.segments.length - 1;
  }

  /** A literal follows at this point. */
  atLiteral(): boolean {
    return this.pos >= this.line.length && this.seg < this.frame.literals.length;
  }

  /** Next byte, or -1 at the end of a segment (end of command or a literal). */
  peek(): number {
    return this.pos < this.line.length ? this.line[this.pos]! : -1;
  }

  peekIs(ch: string): boolean {
    return this.peek() === ch.charCodeAt(0);
  }

  tryChar(ch: string): boolean {
    if (this.peekIs(ch)) {
      this.pos++;
      return true;
    }
    return false;
  }

  expect(ch: string): void {
    if (!this.tryChar(ch)) this.fail(`Expected "${ch}"`);
  }

  sp(): void {
    if (this.peek() !== SP) this.fail('Expected a space');
    this.pos++;
  }

  trySp(): boolean {
    if (this.peek() === SP) {
      this.pos++;
      return true;
    }
    return false;
  }

  end(): void {
    if (!this.atEnd) this.fail('Unexpected extra arguments');
  }

  private run(table: Uint8Array): Buffer {
    const start = this.pos;
    const line = this.line;
    let i = start;
    while (i < line.length && table[line[i]!]) i++;
    this.pos = i;
    return line.subarray(start, i);
  }

  tag(): string {
    const t = this.run(TAG_CHAR);
    if (!t.length) this.fail('Missing tag');
    return t.toString('latin1');
  }

  /** An atom (1*ATOM-CHAR), as written. */
  atom(): string {
    const a = this.run(ATOM_CHAR);
    if (!a.length) this.fail('Expected an atom');
    return a.toString('latin1');
  }

  /** An atom upper-cased: command names, keywords of the grammar. */
  word(): string {
    return this.atom().toUpperCase();
  }

  /** The next atom upper-cased, without consuming it ('' if none). */
  peekWord(): string {
    const save = this.pos;
    const a = this.run(ATOM_CHAR);
    this.pos = save;
    return a.toString('latin1').toUpperCase();
  }

  /** Consumes `word` (case-insensitive) if it is the next atom, which must then end there. */
  tryWord(word: string): boolean {
    const n = word.length;
    if (this.pos + n > this.line.length) return false;
    if (this.line.toString('latin1', this.pos, this.pos + n).toUpperCase() !== word) return false;
    const after = this.pos + n < this.line.length ? this.line[this.pos + n]! : -1;
    if (after !== -1 && ATOM_CHAR[after]) return false;
    this.pos += n;
    return true;
  }

  number(): number {
    const start = this.pos;
    const line = this.line;
    let i = start;
    while (i < line.length && line[i]! >= 0x30 && line[i]! <= 0x39) i++;
    if (i === start) this.fail('Expected a number');
    if (i - start > 10) this.fail('Number too large');
    const n = Number(line.toString('latin1', start, i));
    if (n > 0xffffffff) this.fail('Number too large');
    this.pos = i;
    return n;
  }

  nzNumber(): number {
    const n = this.number();
    if (n === 0) this.fail('Expected a non-zero number');
    return n;
  }

  /**
   * number64 / mod-sequence-value (RFC 9051, RFC 7162: up to 2^63-1). Values past 2^53 are
   * clamped: no journal here ever gets that far, so comparisons come out the same.
   */
  number64(): number {
    const start = this.pos;
    const line = this.line;
    let i = start;
    while (i < line.length && line[i]! >= 0x30 && line[i]! <= 0x39) i++;
    if (i === start) this.fail('Expected a number');
    if (i - start > 19) this.fail('Number too large');
    const text = line.toString('latin1', start, i);
    if (BigInt(text) > 9223372036854775807n) this.fail('Number too large');
    this.pos = i;
    return Math.min(Number(text), Number.MAX_SAFE_INTEGER);
  }

  /** A decimal 63-bit id kept as text (X-GM-MSGID, X-GM-THRID). */
  decimal63(): string {
    const start = this.pos;
    this.number64();
    return this.line.toString('latin1', start, this.pos).replace(/^0+(?=\d)/, '');
  }

  /** The literal at this point (the cursor moves to the next segment). */
  private takeLiteral(): { data: Buffer; binary: boolean } {
    const lit = this.frame.literals[this.seg]!;
    this.seg++;
    this.line = this.frame.segments[this.seg] ?? Buffer.alloc(0);
    this.pos = 0;
    return lit;
  }

  quoted(): Buffer {
    if (this.peek() !== DQUOTE) this.fail('Expected a quoted string');
    const line = this.line;
    let i = this.pos + 1;
    let plain = true;
    const start = i;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (c === DQUOTE) break;
      if (c === BACKSLASH) {
        const next = line[i + 1];
        if (next !== DQUOTE && next !== BACKSLASH) this.fail('Invalid escape in quoted string');
        plain = false;
        i++;
      } else if (c === 0) {
        this.fail('NUL in quoted string');
      }
    }
    if (i >= line.length) this.fail('Unterminated quoted string');
    this.pos = i + 1;
    if (plain) return line.subarray(start, i);
    const out = Buffer.allocUnsafe(i - start);
    let n = 0;
    for (let j = start; j < i; j++) {
      if (line[j] === BACKSLASH) j++;
      out[n++] = line[j]!;
    }
    return out.subarray(0, n);
  }

  /** string = quoted / literal. literal8 is refused here (RFC 3516: only where the grammar says). */
  string(): Buffer {
    if (this.atLiteral()) {
      const lit = this.takeLiteral();
      if (lit.binary) this.fail('literal8 not allowed here');
      if (lit.data.includes(0)) this.fail('NUL in literal');
      return lit.data;
    }
    return this.quoted();
  }

  /** A literal or literal8 (APPEND message data, RFC 3516 BINARY). */
  literalData(): { data: Buffer; binary: boolean } {
    if (!this.atLiteral()) this.fail('Expected a literal');
    return this.takeLiteral();
  }

  /** A literal8 after its announcement (the `~` is part of the announcement). */
  isBinaryLiteralNext(): boolean {
    return this.atLiteral() && this.frame.literals[this.seg]!.binary;
  }

  astring(): Buffer {
    if (this.atLiteral() || this.peek() === DQUOTE) return this.string();
    const a = this.run(ASTRING_CHAR);
    if (!a.length) this.fail('Expected a string');
    return a;
  }

  /** astring as text (UTF-8). */
  astringText(): string {
    return this.astring().toString('utf8');
  }

  nstring(): Buffer | null {
    if (this.tryNil()) return null;
    return this.string();
  }

  tryNil(): boolean {
    return this.tryWord('NIL');
  }

  /** list-mailbox (RFC 3501): list-chars (wildcards allowed unquoted) or a string. */
  listMailbox(): Buffer {
    if (this.atLiteral() || this.peek() === DQUOTE) return this.string();
    const a = this.run(LIST_CHAR);
    if (!a.length) this.fail('Expected a mailbox pattern');
    return a;
  }

  /** flag / flag-keyword / `\*` (RFC 3501 flag); returned as written. */
  flag(): string {
    if (this.tryChar('\\')) {
      if (this.tryChar('*')) return '\\*';
      return '\\' + this.atom();
    }
    return this.atom();
  }

  /** Runs `item` for each element of a parenthesised, space-separated list; `()` allowed unless nonEmpty. */
  list(item: () => void, opts: { nonEmpty?: boolean } = {}): void {
    this.expect('(');
    if (this.tryChar(')')) {
      if (opts.nonEmpty) this.fail('Empty list');
      return;
    }
    for (;;) {
      this.count();
      item();
      if (this.tryChar(')')) return;
      this.sp();
    }
  }

  /** Letters, digits, `.` and `-`: a FETCH item or section name (`BODY.PEEK`, `HEADER.FIELDS`). */
  name(): string {
    return this.run(NAME_CHAR).toString('latin1');
  }

  /** Back to a mark taken on the current segment (one-token lookahead only). */
  rewind(mark: number): void {
    this.pos = mark;
  }

  /** Bytes from `start` (a position on the current segment) to here, for echoing client text. */
  mark(): number {
    return this.pos;
  }

  textSince(mark: number): string {
    return this.line.toString('latin1', mark, this.pos);
  }

  /** The rest of the current segment (e.g. SASL-IR data) as text. */
  rest(): string {
    const s = this.line.toString('latin1', this.pos);
    this.pos = this.line.length;
    return s;
  }
}
