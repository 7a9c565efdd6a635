import type { BlobStore, ContentSegment, PreparedMessage } from '../../domain/index.js';
import { asBuffer, parseMessage, type ParseOptions, type ParsedMessage } from './parse.js';
import { pushReversed } from './part-walk.js';

export interface PrepareOptions extends ParseOptions {
  /** Leaf bodies larger than this (bytes) are stored as blobs. Default 128 KiB. */
  blobThreshold?: number;
}

export const DEFAULT_BLOB_THRESHOLD = 128 * 1024;

/**
 * Parses a raw message and makes it ready for the store: large leaf bodies written to the
 * BlobStore (content-addressed, so an attachment sent twice is stored once; `put` resolves once
 * durable), the rest kept inline. The concatenation of `content` is exactly what IMAP serves as
 * BODY[] (the input with CRLF line ends); `size` is its length.
 */
export async function prepareMessage(raw: Buffer, blobs: BlobStore, opts: PrepareOptions = {}): Promise<PreparedMessage> {
  return storeParsed(parseMessage(raw, opts), blobs, opts);
}

/**
 * The I/O half of prepareMessage, apart from the pure parse so the parse can run in a worker
 * thread: cuts the bytes into inline and blob segments and writes the blobs.
 */
export async function storeParsed(parsed: ParsedMessage, blobs: BlobStore, opts: { blobThreshold?: number } = {}): Promise<PreparedMessage> {
  const threshold = opts.blobThreshold ?? DEFAULT_BLOB_THRESHOLD;
  const { structure } = parsed;
  const bytes = asBuffer(parsed.bytes);
  const big: Array<{ start: number; end: number }> = [];
  const stack = [structure];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (p.children) pushReversed(stack, p.children);
    else if (p.message) stack.push(p.message.part);
    else if (p.bodyEnd - p.bodyStart > threshold) big.push({ start: p.bodyStart, end: p.bodyEnd });
  }
  big.sort((a, b) => a.start - b.start);
  const content: ContentSegment[] = [];
  const blobIds = new Set<string>();
  let pos = 0;
  // Inline pieces are copied when blobs are cut out, so the store does not keep the whole input alive.
  const inline = (a: number, b: number) => {
    if (b > a) content.push({ data: big.length > 0 ? Buffer.from(bytes.subarray(a, b)) : bytes.subarray(a, b) });
  };
  for (const r of big) {
    inline(pos, r.start);
    const blob = await blobs.put(bytes.subarray(r.start, r.end));
    content.push({ blobId: blob.id, size: r.end - r.start });
    blobIds.add(blob.id);
    pos = r.end;
  }
  inline(pos, bytes.length);
  return {
    size: bytes.length,
    content,
    structure,
    envelope: parsed.envelope,
    header: parsed.header,
    sortKeys: parsed.sortKeys,
    search: parsed.search,
    snippet: parsed.snippet,
    attachments: parsed.attachments,
    blobIds: [...blobIds],
  };
}
