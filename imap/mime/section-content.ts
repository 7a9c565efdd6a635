import { Readable } from 'node:stream';
import type { BlobStore, ContentSegment } from '../../domain/index.js';
import { readBytes, readContent, transferDecoder } from '../../mail/mime/index.js';
import type { ImapLiteral, PartialRange } from '../protocol/values.js';
import { binaryHeader, filterHeaderFields } from './header-filter.js';
import type { SectionPiece, SectionPlan } from './section-plan.js';

/** Where a message's bytes are. */
export interface MessageSource {
  content: readonly ContentSegment[];
  blobs: BlobStore;
}

/** Decoded pieces up to this size are kept in memory after measuring; larger ones are decoded again when sent. */
const KEEP_DECODED = 1024 * 1024;

type Resolved = { kind: 'range'; start: number; end: number } | { kind: 'data'; data: Buffer } | { kind: 'decoded'; start: number; end: number; encoding: string | null; length: number };

/** A section's bytes with their length known up front (IMAP literals need it). */
export interface SectionBody {
  length: number;
  /** True when the bytes contain NUL (BINARY answers then need literal8, RFC 3516 4.3). */
  hasNul: boolean;
  /** The bytes [from, from + count) of the section. */
  open(from?: number, count?: number): Readable;
}

/**
 * Works out a plan's bytes: header filters are applied (headers are always inline, so this is a
 * memory read) and decoded pieces are measured (by decoding them once; small ones are kept).
 * `scanNul` (for BINARY) also looks for NUL bytes.
 */
export async function materialize(plan: SectionPlan, src: MessageSource, opts: { scanNul?: boolean } = {}): Promise<SectionBody> {
  const resolved: Resolved[] = [];
  let hasNul = false;
  const onNul = opts.scanNul ? (nul: boolean) => (hasNul ||= nul) : null;
  for (const p of plan.pieces) resolved.push(await resolve(p, src, onNul));
  const length = resolved.reduce((n, r) => n + pieceLength(r), 0);
  return {
    length,
    hasNul,
    open: (from = 0, count = Infinity) => {
      const start = Math.min(Math.max(0, from), length);
      const end = Math.min(length, start + count);
      return Readable.from(pull(resolved, src, start, end), { objectMode: false, highWaterMark: 64 * 1024 });
    },
  };
}

function pieceLength(r: Resolved): number {
  return r.kind === 'range' ? r.end - r.start : r.kind === 'data' ? r.data.length : r.length;
}

async function resolve(p: SectionPiece, src: MessageSource, nul: ((found: boolean) => void) | null): Promise<Resolved> {
  if ('range' in p) {
    if (nul) {
      for await (const c of readContent(src.content, src.blobs, { start: p.range[0], end: p.range[1] })) {
        if ((c as Buffer).includes(0)) {
          nul(true);
          break;
        }
      }
    }
    return { kind: 'range', start: p.range[0], end: p.range[1] };
  }
  if ('data' in p) {
    nul?.(p.data.includes(0));
    return { kind: 'data', data: p.data };
  }
  if ('headerFields' in p) {
    const h = p.headerFields;
    const header = await readBytes(src.content, src.blobs, { start: h.start, end: h.end });
    return { kind: 'data', data: filterHeaderFields(header, h.names, h.not) };
  }
  if ('binaryHeader' in p) {
    const header = await readBytes(src.content, src.blobs, { start: p.binaryHeader.start, end: p.binaryHeader.end });
    return { kind: 'data', data: binaryHeader(header) };
  }
  const d = p.decoded;
  const chunks: Buffer[] = [];
  let length = 0;
  let found = false;
  for await (const c of decodeRange(src, d.start, d.end, d.encoding)) {
    const b = c as Buffer;
    length += b.length;
    if (nul && !found && b.includes(0)) found = true;
    if (length <= KEEP_DECODED) chunks.push(b);
  }
  nul?.(found);
  if (length <= KEEP_DECODED) return { kind: 'data', data: Buffer.concat(chunks) };
  return { kind: 'decoded', start: d.start, end: d.end, encoding: d.encoding, length };
}

async function* decodeRange(src: MessageSource, start: number, end: number, encoding: string | null): AsyncGenerator<Buffer> {
  const decoder = transferDecoder(encoding);
  if (!decoder) throw Object.assign(new Error(`unknown Content-Transfer-Encoding ${encoding}`), { code: 'UNKNOWN-CTE' });
  for await (const c of readContent(src.content, src.blobs, { start, end })) {
    const out = decoder.push(c as Buffer);
    if (out.length > 0) yield out;
  }
  const last = decoder.end();
  if (last.length > 0) yield last;
}

/** The bytes [from, to) of the concatenated pieces. */
async function* pull(pieces: Resolved[], src: MessageSource, from: number, to: number): AsyncGenerator<Buffer> {
  let pos = 0;
  for (const r of pieces) {
    if (pos >= to) return;
    const len = pieceLength(r);
    const a = Math.max(0, from - pos);
    const b = Math.min(len, to - pos);
    pos += len;
    if (b <= a) continue;
    if (r.kind === 'data') {
      yield r.data.subarray(a, b);
    } else if (r.kind === 'range') {
      for await (const c of readContent(src.content, src.blobs, { start: r.start + a, end: r.start + b })) yield c as Buffer;
    } else {
      // Decoding cannot seek: skip the decoded bytes before `a`.
      let at = 0;
      for await (const c of decodeRange(src, r.start, r.end, r.encoding)) {
        const s = Math.max(0, a - at);
        const e = Math.min(c.length, b - at);
        at += c.length;
        if (e > s) yield c.subarray(s, e);
        if (at >= b) break;
      }
    }
  }
}

/**
 * The literal of a FETCH answer: the section's bytes, or `<origin.count>` of them (RFC 3501
 * 6.4.5: an origin past the end gives the empty string). `binary` answers (RFC 3516) use literal8
 * when the bytes contain NUL, as Dovecot does.
 */
export function sectionLiteral(body: SectionBody, partial: PartialRange | null, opts: { binary?: boolean } = {}): ImapLiteral {
  const from = partial ? Math.min(partial.origin, body.length) : 0;
  const length = partial ? Math.min(partial.count, body.length - from) : body.length;
  const literal: ImapLiteral = { literal: { length, open: () => body.open(from, length) } };
  if (opts.binary && body.hasNul) literal.binary = true;
  return literal;
}
