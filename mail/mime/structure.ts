import type { MessageEnvelope, MimeParams, MimePart } from '../../domain/index.js';
import { buildEnvelope } from './envelope.js';
import { splitHeader, type HeaderField } from './header-block.js';
import { decodeParam, paramValue, parseContentType, parseMimeValue } from './mime-params.js';
import { IDENTITY_ENCODINGS } from './transfer-decode.js';

/**
 * The MIME part tree of a message (RFC 2045, RFC 2046) with byte offsets, in one pass over the
 * bytes, after Dovecot's message-parser: a line starting with `--` is a boundary when it begins
 * with the boundary of an open multipart (the longest one that matches, innermost first), also
 * inside a part's header; an outer boundary closes every part inside it; the [CR]LF before a
 * boundary line belongs to the boundary. Broken MIME is read, not refused: a missing close
 * delimiter ends the multipart where its parent ends, a multipart without boundary has no
 * children, a header without an empty line ends at the input's end (or the next boundary).
 *
 * Limits keep hostile input linear: past `maxParts` parts the rest of the input is the body of the
 * last part; below `maxDepth` levels a multipart or message/rfc822 is a leaf; a header lists at
 * most `maxHeaderFields` fields (its extent is still exact). Recursion depth is bounded by maxDepth.
 */

export interface StructureLimits {
  maxParts: number;
  maxDepth: number;
  maxHeaderFields: number;
}

export const DEFAULT_STRUCTURE_LIMITS: StructureLimits = { maxParts: 10_000, maxDepth: 100, maxHeaderFields: 2_000 };

/** The parse of one entity: its part and the header fields that made it. */
export interface ParsedEntity {
  part: MimePart;
  fields: HeaderField[];
}

interface Frame {
  boundary: Buffer;
  closed: boolean;
}

interface Delimiter {
  frame: number;
  close: boolean;
  /** Start of the boundary line ("--"). */
  lineStart: number;
  /** Start of the line after it. */
  next: number;
}

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const NL_DASHES = Buffer.from('\n--', 'latin1');

class StructureParser {
  readonly #frames: Frame[] = [];
  #parts = 0;
  #exhausted = false;
  /** Every part made, for line counting at the end. */
  readonly all: MimePart[] = [];

  constructor(
    readonly buf: Buffer,
    readonly limits: StructureLimits,
  ) {}

  /** A boundary line of an open multipart at line start `p`, or null. */
  #matchAt(p: number): Delimiter | null {
    const buf = this.buf;
    if (this.#exhausted || buf[p] !== DASH || buf[p + 1] !== DASH) return null;
    let best = -1;
    let bestLen = -1;
    for (let k = this.#frames.length - 1; k >= 0; k--) {
      const f = this.#frames[k]!;
      const len = f.boundary.length;
      if (f.closed || len <= bestLen || p + 2 + len > buf.length) continue;
      if (buf.compare(f.boundary, 0, len, p + 2, p + 2 + len) === 0) {
        best = k;
        bestLen = len;
      }
    }
    if (best < 0) return null;
    const after = p + 2 + bestLen;
    const close = buf[after] === DASH && buf[after + 1] === DASH;
    const lf = buf.indexOf(LF, after);
    return { frame: best, close, lineStart: p, next: lf < 0 ? buf.length : lf + 1 };
  }

  /** The next boundary line of an open multipart at or after line start `from`. */
  #findDelimiter(from: number): Delimiter | null {
    if (this.#exhausted || !this.#frames.some((f) => !f.closed)) return null;
    const here = this.#matchAt(from);
    if (here) return here;
    let p = from;
    for (;;) {
      const i = this.buf.indexOf(NL_DASHES, p);
      if (i < 0) return null;
      const m = this.#matchAt(i + 1);
      if (m) return m;
      p = i + 1;
    }
  }

  /** Where a body that a boundary line at `d` ends stops: before the [CR]LF that belongs to the boundary. */
  #endBefore(d: Delimiter | null, min: number): number {
    if (!d) return this.buf.length;
    let e = d.lineStart;
    if (e > min && this.buf[e - 1] === LF) {
      e--;
      if (e > min && this.buf[e - 1] === CR) e--;
    }
    return Math.max(e, min);
  }

  /** Parses the entity whose header starts at `start`; returns it and the boundary line that ended it (null at the end of input). */
  parseEntity(start: number, inDigest: boolean, depth: number, mimeChild = false): { entity: ParsedEntity; pending: Delimiter | null } {
    this.#parts++;
    const buf = this.buf;
    const header = splitHeader(buf, {
      start,
      maxFields: this.limits.maxHeaderFields,
      stopAt: this.#frames.length > 0 ? (p) => this.#matchAt(p) !== null : undefined,
    });
    const part = describePart(header.fields, inDigest, mimeChild);
    part.headerStart = start;
    this.all.push(part);
    const entity: ParsedEntity = { part, fields: header.fields };

    if (header.stoppedAt !== undefined) {
      // A boundary inside the header: no body; the line end before the boundary is the boundary's.
      const pending = this.#matchAt(header.stoppedAt);
      const end = this.#endBefore(pending, start);
      part.bodyStart = part.bodyEnd = end;
      return { entity, pending };
    }
    part.bodyStart = header.bodyStart;
    const kind = part.type.toLowerCase();
    const sub = part.subtype.toLowerCase();
    const structured = depth < this.limits.maxDepth && !this.#exhausted;

    if (kind === 'multipart') {
      part.children = [];
      const boundary = paramValue(part.params, 'boundary') ?? decodeParam(part.params, 'boundary');
      if (structured && boundary) {
        const fi = this.#frames.length;
        this.#frames.push({ boundary: Buffer.from(boundary, 'utf8'), closed: false });
        let d = this.#findDelimiter(part.bodyStart);
        while (d && d.frame === fi && !d.close) {
          if (this.#parts >= this.limits.maxParts) this.#exhausted = true;
          const child = this.parseEntity(d.next, sub === 'digest', depth + 1, true);
          part.children.push(child.entity.part);
          d = child.pending;
        }
        if (d && d.frame === fi && d.close) {
          // Epilogue: this boundary is done; the part runs on to its parent's next boundary.
          this.#frames[fi]!.closed = true;
          d = this.#findDelimiter(d.next);
        }
        this.#frames.length = fi;
        // The line end before a boundary belongs to it, unless it already ended the line of a
        // previous boundary (an empty last part): never cut into the last child.
        part.bodyEnd = Math.max(this.#endBefore(d, part.bodyStart), part.children.at(-1)?.bodyEnd ?? 0);
        if (part.children.length === 0) this.#emptyBody(part, header.headerEnd, header.hasSeparator, d);
        return { entity, pending: d };
      }
    } else if (kind === 'message' && (sub === 'rfc822' || sub === 'global') && structured && isIdentity(part.encoding)) {
      // RFC 2046 5.2.1 (and RFC 6532 3.5): the body is a message; it ends where this part ends.
      const inner = this.parseEntity(part.bodyStart, false, depth + 1);
      part.bodyEnd = inner.entity.part.bodyEnd;
      part.message = { part: inner.entity.part, envelope: buildEnvelope(inner.entity.fields) };
      return { entity, pending: inner.pending };
    }
    const d = this.#findDelimiter(part.bodyStart);
    part.bodyEnd = this.#endBefore(d, part.bodyStart);
    this.#emptyBody(part, header.headerEnd, header.hasSeparator, d);
    return { entity, pending: d };
  }

  /**
   * `Header CRLF CRLF --boundary`: RFC 2046's delimiter is CRLF "--" boundary, so the second CRLF
   * is the delimiter's and the part has a header, no empty line and no body (as Dovecot reads it).
   */
  #emptyBody(part: MimePart, headerEnd: number, hasSeparator: boolean, d: Delimiter | null): void {
    if (hasSeparator && d && part.bodyEnd === part.bodyStart && d.lineStart === part.bodyStart && headerEnd < part.bodyStart) {
      part.bodyStart = part.bodyEnd = headerEnd;
    }
  }
}

function isIdentity(encoding: string | null): boolean {
  return IDENTITY_ENCODINGS.has((encoding ?? '').trim().toLowerCase());
}

/**
 * The MIME fields of a header block (offsets are filled in by the caller). The first occurrence
 * of each field counts. A message (not a body part of a multipart) is MIME only with MIME-Version
 * or Content-Type (RFC 2045 4, read as leniently as Dovecot does); otherwise its Content-* fields
 * mean nothing and the defaults apply.
 */
function describePart(fields: readonly HeaderField[], inDigest: boolean, mimeChild: boolean): MimePart {
  const isMime = mimeChild || fields.some((f) => f.key === 'mime-version' || f.key === 'content-type');
  let contentType: HeaderField | undefined;
  let encoding: string | null = null;
  let id: string | null = null;
  let description: string | null = null;
  let md5: string | null = null;
  let location: string | null = null;
  let disposition: MimePart['disposition'] = null;
  let language: string[] | null = null;
  const seen = new Set<string>();
  for (const f of fields) {
    if (!isMime || !f.key.startsWith('content-') || seen.has(f.key)) continue;
    seen.add(f.key);
    switch (f.key) {
      case 'content-type':
        contentType = f;
        break;
      case 'content-transfer-encoding': {
        // RFC 2045 6.1: a token (comments allowed around it); anything else means the default, 7bit.
        const v = parseMimeValue(f.value).value;
        encoding = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(v) ? v : null;
        break;
      }
      case 'content-id':
        id = f.value;
        break;
      case 'content-description':
        description = f.value;
        break;
      case 'content-md5':
        md5 = f.value;
        break;
      case 'content-location':
        location = f.value;
        break;
      case 'content-disposition': {
        const d = parseMimeValue(f.value);
        disposition = d.value ? { type: d.value, params: d.params } : null;
        break;
      }
      case 'content-language': {
        const tags = f.value.split(',').map((t) => t.replace(/\([^)]*\)/g, '').trim()).filter((t) => t !== '');
        language = tags.length > 0 ? tags : null;
        break;
      }
    }
  }
  const ct = contentType ? parseContentType(contentType.value) : null;
  // RFC 2045 5.2 and RFC 2046 5.1.5 defaults.
  const type = ct?.type ?? (inDigest && !contentType ? 'message' : 'text');
  const subtype = ct?.subtype ?? (inDigest && !contentType ? 'rfc822' : 'plain');
  const params: MimeParams = ct ? ct.params : type === 'text' ? [['charset', 'us-ascii']] : [];
  return {
    headerStart: 0,
    bodyStart: 0,
    bodyEnd: 0,
    type,
    subtype,
    params,
    id,
    description,
    encoding,
    md5,
    location,
    disposition,
    language,
    bodyLines: 0,
  };
}

/** Counts the LFs in every part's body with one pass over the input (nested bodies overlap). */
function countLines(buf: Buffer, parts: MimePart[]): void {
  const positions = new Set<number>();
  for (const p of parts) {
    positions.add(p.bodyStart);
    positions.add(p.bodyEnd);
  }
  const sorted = [...positions].sort((a, b) => a - b);
  const before = new Map<number, number>();
  let count = 0;
  let lf = buf.indexOf(LF);
  for (const pos of sorted) {
    while (lf >= 0 && lf < pos) {
      count++;
      lf = buf.indexOf(LF, lf + 1);
    }
    before.set(pos, count);
  }
  for (const p of parts) p.bodyLines = before.get(p.bodyEnd)! - before.get(p.bodyStart)!;
}

export interface ParsedStructure {
  root: MimePart;
  /** The root's header fields (the message header). */
  fields: HeaderField[];
  envelope: MessageEnvelope;
}

/** Parses the structure of a whole message. Pure: bytes in, tree out; never throws on content. */
export function parseStructure(buf: Buffer, limits: Partial<StructureLimits> = {}): ParsedStructure {
  const parser = new StructureParser(buf, { ...DEFAULT_STRUCTURE_LIMITS, ...limits });
  const { entity } = parser.parseEntity(0, false, 0);
  // The root always spans the whole message, epilogue and any bytes after a broken close included.
  entity.part.bodyEnd = buf.length;
  countLines(buf, parser.all);
  return { root: entity.part, fields: entity.fields, envelope: buildEnvelope(entity.fields) };
}
