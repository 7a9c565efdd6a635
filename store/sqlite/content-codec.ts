import { deflateRaw, inflateRawSync } from 'node:zlib';
import { promisify } from 'node:util';
import { StoreError } from '../../domain/index.js';
import type { ContentSegment, PreparedMessage } from '../../domain/index.js';
import { HEADER_DICTIONARY } from './header-dictionary.js';

/**
 * How a message's bytes are kept in `content_bytes`: the inline segments are concatenated and
 * split into the root header block (`head`) and the rest (`body`), each compressed with raw
 * DEFLATE when that saves space. Header-only reads (HEADER search verification, header fetches)
 * then inflate a few hundred bytes, not the whole message. Blob segments are recorded in
 * `layout` (JSON): a number is that many inline bytes, `[blobId, size]` a blob; no layout
 * means the message is one inline run.
 *
 * `packing` bits, per column: 1 = deflated, 2 = deflated with the header dictionary (v1).
 * Never change what a shipped bit means; add a bit.
 */
export const PACK_HEAD_DEFLATE = 1;
export const PACK_HEAD_DICT = 2;
export const PACK_BODY_DEFLATE = 4;

/** Chosen by measurement on realistic mail (bench/store-size.ts): see store/README.md. */
export const DEFLATE_LEVEL = 6;
/** Below this, DEFLATE's own framing eats the gain. */
const MIN_COMPRESS = 64;

const deflateRawAsync = promisify(deflateRaw);

export interface EncodedContent {
  head: Buffer;
  body: Buffer;
  layout: string | null;
  packing: number;
}

type LayoutEntry = number | [blobId: string, size: number];

function isInline(s: ContentSegment): s is { data: Buffer } {
  return 'data' in s;
}

function checkSegments(msg: PreparedMessage): void {
  if (!Array.isArray(msg.content)) throw new StoreError('invalid', 'invalid message content');
  let total = 0;
  for (const s of msg.content) {
    if (!s || typeof s !== 'object') throw new StoreError('invalid', 'invalid content segment');
    if (isInline(s)) {
      if (!Buffer.isBuffer(s.data)) throw new StoreError('invalid', 'invalid content segment');
      total += s.data.length;
    } else {
      if (typeof s.blobId !== 'string' || !/^[0-9a-f]{64}$/.test(s.blobId) || !Number.isSafeInteger(s.size) || s.size < 0) {
        throw new StoreError('invalid', 'invalid blob segment');
      }
      total += s.size;
    }
  }
  if (total !== msg.size) throw new StoreError('invalid', 'content length differs from message size');
}

async function pack(data: Buffer, dictionary?: Buffer): Promise<Buffer | null> {
  if (data.length < MIN_COMPRESS) return null;
  const out = await deflateRawAsync(data, { level: DEFLATE_LEVEL, ...(dictionary ? { dictionary } : {}) });
  return out.length < data.length ? out : null;
}

/**
 * Compresses off the event loop (zlib runs on libuv's thread pool), before the write
 * transaction, so group commits hold the loop only for the SQL itself.
 */
export async function encodeContent(msg: PreparedMessage): Promise<EncodedContent> {
  checkSegments(msg);
  const inline: Buffer[] = [];
  const layout: LayoutEntry[] = [];
  for (const s of msg.content) {
    if (isInline(s)) {
      if (s.data.length === 0) continue;
      inline.push(s.data);
      const last = layout[layout.length - 1];
      if (typeof last === 'number') layout[layout.length - 1] = last + s.data.length;
      else layout.push(s.data.length);
    } else {
      layout.push([s.blobId, s.size]);
    }
  }
  const all = inline.length === 1 ? inline[0]! : Buffer.concat(inline);
  const headerEnd = Math.max(0, Math.min(msg.structure?.bodyStart ?? 0, typeof layout[0] === 'number' ? layout[0] : 0));
  const headRaw = all.subarray(0, headerEnd);
  const bodyRaw = all.subarray(headerEnd);
  const [head, body] = await Promise.all([pack(headRaw, HEADER_DICTIONARY), pack(bodyRaw)]);
  const onlyInline = layout.length === 0 || (layout.length === 1 && typeof layout[0] === 'number');
  return {
    head: head ?? Buffer.from(headRaw),
    body: body ?? Buffer.from(bodyRaw),
    layout: onlyInline ? null : JSON.stringify(layout),
    packing: (head ? PACK_HEAD_DEFLATE | PACK_HEAD_DICT : 0) | (body ? PACK_BODY_DEFLATE : 0),
  };
}

export function unpackHead(head: Buffer, packing: number): Buffer {
  if (!(packing & PACK_HEAD_DEFLATE)) return head;
  return inflateRawSync(head, packing & PACK_HEAD_DICT ? { dictionary: HEADER_DICTIONARY } : {});
}

export function unpackBody(body: Buffer, packing: number): Buffer {
  return packing & PACK_BODY_DEFLATE ? inflateRawSync(body) : body;
}

/** The stored form back to segments: inline runs as plain bytes, blobs as references. */
export function decodeContent(head: Buffer, body: Buffer, layout: string | null, packing: number): ContentSegment[] {
  const h = unpackHead(head, packing);
  const b = unpackBody(body, packing);
  const all = h.length === 0 ? b : b.length === 0 ? h : Buffer.concat([h, b]);
  if (layout === null) return all.length > 0 ? [{ data: all }] : [];
  const out: ContentSegment[] = [];
  let pos = 0;
  for (const entry of JSON.parse(layout) as LayoutEntry[]) {
    if (typeof entry === 'number') {
      out.push({ data: all.subarray(pos, pos + entry) });
      pos += entry;
    } else {
      out.push({ blobId: entry[0], size: entry[1] });
    }
  }
  return out;
}
