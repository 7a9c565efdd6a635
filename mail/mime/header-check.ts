import { LineCursor } from './line-ends.js';

/**
 * The strict reading of a header block (RFC 5322 2.1, 2.2, 3.6), for paths that refuse rather
 * than repair (e.g. submission answering 554 5.6.0). Scans every byte of the block, allocates
 * nothing per line, linear in the input. The block ends at the first empty line, with CRLF, bare
 * CR and bare LF all ending lines, as `splitHeader` and `normalizeLineEnds` see it.
 */

export type HeaderProblemKind =
  | 'bare-cr'
  | 'bare-lf'
  | 'nul'
  /** A line that is neither a continuation nor `name:` (includes a continuation before any field). */
  | 'no-colon'
  /** A field name with bytes outside RFC 5322 ftext (printable US-ASCII except colon), or empty. */
  | 'bad-name'
  /** A line over `maxLineLength` bytes without its line end (RFC 5322 2.1.1: 998). */
  | 'line-too-long'
  | 'too-many-fields'
  | 'too-large';

export interface HeaderProblem {
  kind: HeaderProblemKind;
  /** Byte offset of the first occurrence. */
  offset: number;
}

export interface HeaderLimits {
  /** Bytes in the header block, empty line included. Default 1 MiB. */
  maxBytes?: number;
  /** Fields in the block. Default 10,000. */
  maxFields?: number;
  /** Bytes in one line, line end excluded. Default 998 (RFC 5322 2.1.1). */
  maxLineLength?: number;
}

export const DEFAULT_HEADER_LIMITS: Required<HeaderLimits> = { maxBytes: 1024 * 1024, maxFields: 10_000, maxLineLength: 998 };

export interface HeaderCheck {
  /** The first occurrence of each kind of problem found, in order of offset. Empty: the block is clean. */
  problems: HeaderProblem[];
  /** Where the body starts (after the empty line, or the input's end). */
  bodyStart: number;
  fields: number;
}

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;

/** Checks the header block at the start of `raw`. */
export function checkHeaderBlock(raw: Buffer, limits: HeaderLimits = {}): HeaderCheck {
  const lim = { ...DEFAULT_HEADER_LIMITS, ...limits };
  const seen = new Map<HeaderProblemKind, number>();
  const report = (kind: HeaderProblemKind, offset: number) => {
    if (!seen.has(kind)) seen.set(kind, offset);
  };
  let fields = 0;
  let lineStart = 0;
  // State within the current line: 0 = at its first byte, 1 = in a field name, 2 = after the
  // colon or in a continuation, 3 = white space after a name (obsolete before the colon, RFC 5322 4.5.3).
  let state = 0;
  let bodyStart = raw.length;
  const n = raw.length;
  const cursor = new LineCursor(raw);
  let i = 0;
  for (; i < n; i++) {
    const b = raw[i]!;
    if (b === CR || b === LF) {
      let next = i + 1;
      if (b === CR && raw[next] === LF) next++;
      else report(b === CR ? 'bare-cr' : 'bare-lf', i);
      if (i - lineStart > lim.maxLineLength) report('line-too-long', lineStart);
      if (state === 0) {
        bodyStart = next;
        break;
      }
      if (state === 1 || state === 3) report('no-colon', lineStart);
      state = 0;
      lineStart = next;
      i = next - 1;
      continue;
    }
    if (state === 2) {
      // Value bytes: jump to the line's end (NUL is found by one search at the end).
      i = cursor.find(i).at - 1;
      continue;
    }
    if (state === 0) {
      if (b === SP || b === HTAB) {
        if (fields === 0) report('no-colon', i);
        state = 2;
        continue;
      }
      fields++;
      if (fields > lim.maxFields) report('too-many-fields', lineStart);
      state = 1;
      if (b === COLON) {
        report('bad-name', i);
        state = 2;
      } else if (b < 33 || b > 126) {
        report('bad-name', i);
      }
      continue;
    }
    if (b === COLON) state = 2;
    else if (b === SP || b === HTAB) state = 3;
    else if (b < 33 || b > 126 || state === 3) {
      report('bad-name', i);
      state = 1;
    }
  }
  if (i >= n) {
    if (n - lineStart > lim.maxLineLength) report('line-too-long', lineStart);
    if (state === 1 || state === 3) report('no-colon', lineStart);
  }
  const nul = raw.subarray(0, bodyStart).indexOf(0);
  if (nul >= 0 && nul < bodyStart) report('nul', nul);
  if (Math.min(bodyStart, n) > lim.maxBytes) report('too-large', lim.maxBytes);
  const problems = [...seen].map(([kind, offset]) => ({ kind, offset })).sort((a, b) => a.offset - b.offset);
  return { problems, bodyStart, fields };
}
