/**
 * Cuts the client's byte stream into commands (RFC 3501 2.2, RFC 9051 2.2): one or more lines,
 * each but the last ending in a literal announcement `{n}`, `{n+}` (LITERAL+, RFC 7888), `{n-}`
 * (LITERAL-) or `~{n}` (literal8, RFC 3516), followed by that many bytes. It only frames; the
 * grammar is applied to a whole frame afterwards (parse-command.ts).
 *
 * The reader is pulled by the session one command at a time, so a synchronising literal is only
 * answered with `+` once the commands before it are done, and every bound (line length, literal
 * size, literals per command, command size) is checked before the bytes are buffered.
 */
import { ByteQueue } from './byte-queue.js';
import { ProtocolError } from './errors.js';
import type { ProtocolLimits } from './limits.js';

export interface FrameLiteral {
  data: Buffer;
  /** Sent as literal8 `~{n}` (RFC 3516): may hold NUL bytes. */
  binary: boolean;
}

/** One complete command: the line segments with a literal after each but the last. */
export interface Frame {
  tag: string | null;
  segments: Buffer[];
  literals: FrameLiteral[];
}

export type ReaderEvent =
  | { type: 'need-more' }
  | { type: 'command'; frame: Frame }
  /** A synchronising literal was announced: call accept() and send `+`, or reject() and answer the tag. */
  | { type: 'continue'; tag: string | null; size: number }
  /** `fatal`: the stream cannot be resynchronised (line too long); answer BYE and close. */
  | { type: 'error'; tag: string | null; error: ProtocolError; fatal: boolean };

const LF = 0x0a;
const CR = 0x0d;

interface LiteralMarker {
  size: number;
  sync: boolean;
  binary: boolean;
  /** Where the marker starts in the line, so the segment can keep the text before it. */
  start: number;
}

/** `{123}`, `{123+}`, `{123-}`, `~{123}` at the very end of a line. */
export function literalMarkerAt(line: Buffer): LiteralMarker | null | 'invalid' {
  const n = line.length;
  if (n < 3 || line[n - 1] !== 0x7d /* } */) return null;
  let i = n - 2;
  let sync = true;
  if (line[i] === 0x2b /* + */ || line[i] === 0x2d /* - */) {
    sync = false;
    i--;
  }
  const digitsEnd = i + 1;
  while (i >= 0 && line[i]! >= 0x30 && line[i]! <= 0x39) i--;
  if (i < 0 || line[i] !== 0x7b /* { */ || i + 1 === digitsEnd) return null;
  if (digitsEnd - (i + 1) > 12) return 'invalid';
  const size = Number(line.toString('latin1', i + 1, digitsEnd));
  const binary = i > 0 && line[i - 1] === 0x7e; /* ~ */
  return { size, sync, binary, start: binary ? i - 1 : i };
}

/** Tag and command name from a command's first line, for limits that depend on the command. */
function headOf(line: Buffer): { tag: string | null; name: string } {
  const sp = line.indexOf(0x20);
  if (sp <= 0) return { tag: line.length && line.length <= 64 ? line.toString('latin1') : null, name: '' };
  const tag = sp <= 64 ? line.toString('latin1', 0, sp) : null;
  const end = line.indexOf(0x20, sp + 1);
  let name = line.toString('latin1', sp + 1, end < 0 ? Math.min(line.length, sp + 32) : Math.min(end, sp + 32)).toUpperCase();
  if (name === 'UID' && end > 0) {
    const end2 = line.indexOf(0x20, end + 1);
    name = line.toString('latin1', end + 1, end2 < 0 ? Math.min(line.length, end + 32) : Math.min(end2, end + 32)).toUpperCase();
  }
  return { tag, name };
}

export class CommandReader {
  private readonly queue = new ByteQueue();
  /** Bytes already searched for LF in the current line, so a slow line is scanned once. */
  private scanned = 0;
  private state: 'line' | 'literal' | 'await' = 'line';
  private frame: (Frame & { name: string; bytes: number; literalBytes: number }) | null = null;
  private literal: { size: number; binary: boolean } | null = null;
  /** A refused non-synchronising literal: its bytes and the rest of its command are dropped. */
  private discarding = false;

  constructor(private readonly limits: ProtocolLimits) {}

  push(chunk: Buffer): void {
    this.queue.push(chunk);
  }

  /** Bytes received and not yet consumed. */
  get buffered(): number {
    return this.queue.length;
  }

  /** How many buffered bytes the reader can use before it must hand something back: lets the session pause reading. */
  get wanted(): number {
    if (this.state === 'literal' && this.literal) return this.literal.size + this.limits.maxLineLength;
    return this.limits.maxLineLength + 2;
  }

  /** True between commands: a raw line (IDLE's DONE, AUTHENTICATE data) may be read. */
  get idle(): boolean {
    return this.frame === null && this.state === 'line';
  }

  /** The client may send the announced synchronising literal. */
  accept(): void {
    if (this.state !== 'await' || !this.literal) throw new Error('no literal is waiting');
    this.state = 'literal';
  }

  /** The announced synchronising literal is refused; the command is dropped (the client sends nothing more for it). */
  reject(): void {
    this.state = 'line';
    this.literal = null;
    this.frame = null;
  }

  /**
   * A raw line outside any command (RFC 3501 continuation data), without its CRLF; null when
   * none is complete yet. Throws a ProtocolError when the line is over the limit.
   */
  readLine(): Buffer | null {
    const line = this.nextLine();
    if (line === 'too-long') throw new ProtocolError('Line too long', 'TOOBIG');
    return line;
  }

  next(): ReaderEvent {
    for (;;) {
      if (this.state === 'await') return { type: 'need-more' };
      if (this.state === 'literal') {
        const lit = this.literal!;
        if (this.discarding) {
          const n = Math.min(lit.size, this.queue.length);
          this.queue.skip(n);
          lit.size -= n;
          if (lit.size > 0) return { type: 'need-more' };
        } else {
          if (this.queue.length < lit.size) return { type: 'need-more' };
          this.frame!.literals.push({ data: this.queue.take(lit.size), binary: lit.binary });
        }
        this.literal = null;
        this.state = 'line';
        continue;
      }
      const line = this.nextLine();
      if (line === null) return { type: 'need-more' };
      if (line === 'too-long') {
        const tag = this.frame?.tag ?? null;
        this.frame = null;
        this.discarding = false;
        return { type: 'error', tag, error: new ProtocolError('Command line too long', 'TOOBIG'), fatal: true };
      }
      const ev = this.onLine(line);
      if (ev) return ev;
    }
  }

  private onLine(line: Buffer): ReaderEvent | null {
    if (!this.frame) {
      // Some clients send a stray CRLF after a literal; an empty line is no command.
      if (line.length === 0) return null;
      const head = headOf(line);
      this.frame = { tag: head.tag, name: head.name, segments: [], literals: [], bytes: 0, literalBytes: 0 };
    }
    const frame = this.frame;
    const marker = literalMarkerAt(line);
    frame.bytes += line.length + 2;
    if (marker === 'invalid') return this.fail(new ProtocolError('Invalid literal size', 'TOOBIG'), null);
    if (!marker) {
      this.frame = null;
      if (this.discarding) {
        this.discarding = false;
        return null;
      }
      if (frame.bytes > this.limits.maxCommandSize) {
        return { type: 'error', tag: frame.tag, error: new ProtocolError('Command too long', 'TOOBIG'), fatal: false };
      }
      frame.segments.push(line);
      return { type: 'command', frame: { tag: frame.tag, segments: frame.segments, literals: frame.literals } };
    }
    if (this.discarding) {
      if (marker.sync) {
        // The client waits for a `+` it will not get; it already has its BAD.
        this.frame = null;
        this.discarding = false;
        return null;
      }
      this.literal = { size: marker.size, binary: marker.binary };
      this.state = 'literal';
      return null;
    }
    frame.segments.push(line.subarray(0, marker.start));
    const isAppend = frame.name === 'APPEND';
    let refusal: ProtocolError | null = null;
    if (frame.literals.length >= this.limits.maxLiterals) refusal = new ProtocolError('Too many literals', 'LIMIT');
    else if (isAppend && marker.size > this.limits.maxAppendSize) refusal = new ProtocolError('Message too large', 'TOOBIG', 'NO');
    else if (isAppend && frame.literalBytes + marker.size > this.limits.maxAppendTotal) refusal = new ProtocolError('Messages too large', 'TOOBIG', 'NO');
    else if (!isAppend && marker.size > this.limits.maxLiteralSize) refusal = new ProtocolError('Literal too large', 'TOOBIG');
    else if (!isAppend && frame.bytes + marker.size > this.limits.maxCommandSize) refusal = new ProtocolError('Command too long', 'TOOBIG');
    else if (marker.binary && !isAppend) refusal = new ProtocolError('literal8 is only allowed in APPEND');
    if (refusal) return this.fail(refusal, marker);
    frame.literalBytes += marker.size;
    if (!isAppend) frame.bytes += marker.size;
    this.literal = { size: marker.size, binary: marker.binary };
    if (marker.sync) {
      this.state = 'await';
      return { type: 'continue', tag: frame.tag, size: marker.size };
    }
    this.state = 'literal';
    return null;
  }

  /** Refuses the current command; a non-synchronising literal already on its way is skipped. */
  private fail(error: ProtocolError, marker: LiteralMarker | null): ReaderEvent {
    const tag = this.frame?.tag ?? null;
    if (marker && !marker.sync && marker.size > this.limits.maxAppendTotal) {
      // Skipping a bogus gigabyte costs more than the client deserves (RFC 7888 4 allows closing).
      this.frame = null;
      return { type: 'error', tag, error, fatal: true };
    }
    if (marker && !marker.sync) {
      this.discarding = true;
      this.literal = { size: marker.size, binary: marker.binary };
      this.state = 'literal';
    } else {
      this.frame = null;
      this.literal = null;
      this.state = 'line';
    }
    return { type: 'error', tag, error, fatal: false };
  }

  private nextLine(): Buffer | null | 'too-long' {
    const limit = this.limits.maxLineLength + 2;
    const lf = this.queue.indexOf(LF, this.scanned, limit);
    if (lf < 0) {
      this.scanned = Math.min(this.queue.length, limit);
      return this.queue.length >= limit ? 'too-long' : null;
    }
    this.scanned = 0;
    const raw = this.queue.take(lf + 1);
    let end = raw.length - 1;
    if (end > 0 && raw[end - 1] === CR) end--;
    if (end > this.limits.maxLineLength) return 'too-long';
    return raw.subarray(0, end);
  }
}
