/**
 * Serialises a stored MIME tree back to wire bytes as a list of segments: inline Buffers and
 * references to blob-store bodies. Our own rewrite of the layout rules of imap-core's
 * Indexer.rebuild (so output matches what its parser split), but planned up front: the exact
 * length is known before a byte is read (RFC 3501 literals need it) and the bytes are pulled
 * lazily by message-stream.ts, honouring backpressure.
 */
import type { MimeTree } from '../../domain/index.js';

/** Root key of the whole-message blob kept when the tree cannot rebuild the input exactly. */
export const RAW_FALLBACK_KEY = 'heronRaw';

export interface RawFallback {
  blobId: string;
  size: number;
  /** Offset of the body (after the blank line), for BODY[TEXT]. */
  bodyOffset: number;
}

export function rawFallbackOf(tree: MimeTree): RawFallback | null {
  const v = (tree as Record<string, unknown>)[RAW_FALLBACK_KEY] as RawFallback | undefined;
  return v && typeof v.blobId === 'string' ? v : null;
}

/** `offset`: where in the blob the segment's `size` bytes start (0 by default). */
export type Segment = Buffer | { blobId: string; size: number; offset?: number };

const CRLF = Buffer.from('\r\n');

interface TreeNode {
  header?: string[] | string;
  body?: unknown;
  boundary?: string | false;
  attachmentId?: string;
  size?: number;
  childNodes?: TreeNode[];
  lineCount?: number;
  message?: TreeNode;
  /** Set by prepare-message.ts on the root: whether a final CRLF follows the tree's bytes. */
  heronTrailer?: boolean;
}

function bodyBuffer(body: unknown): Buffer | null {
  if (!body) return null;
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'binary');
  // A JSON-revived Buffer ({type:'Buffer', data:[...]}) from a backend that lost the type.
  const maybe = body as { type?: string; data?: number[]; buffer?: unknown };
  if (maybe.type === 'Buffer' && Array.isArray(maybe.data)) return Buffer.from(maybe.data);
  if (maybe.buffer && Buffer.isBuffer(maybe.buffer)) return maybe.buffer;
  return null;
}

function headerLines(header: TreeNode['header']): string[] {
  if (!header) return [];
  return Array.isArray(header) ? header : [header];
}

/**
 * @param textOnly skip the root node's header (BODY[TEXT], BODY[1.2] of a leaf)
 */
export function planSegments(tree: MimeTree, textOnly: boolean): Segment[] {
  const root = tree as TreeNode;
  const out: Segment[] = [];
  let firstLine = true;
  let isRoot = true;
  let remainder: Buffer | null = null;

  // A line break goes *before* each emitted piece except the first; the pending body
  // ("remainder") is flushed in front of whatever comes next.
  const emit = (data?: Buffer | string | null, force = false): void => {
    if (remainder || data || force) {
      if (!firstLine) out.push(CRLF);
      else firstLine = false;
      if (remainder && remainder.length) out.push(remainder);
      if (data) out.push(typeof data === 'string' ? Buffer.from(data, 'binary') : data);
    }
    remainder = null;
  };

  const walk = (node: TreeNode): void => {
    if (!textOnly || !isRoot) emit(headerLines(node.header).join('\r\n') + '\r\n');
    isRoot = false;
    remainder = bodyBuffer(node.body);
    if (node.boundary) {
      emit(`--${node.boundary}`);
    } else if (node.attachmentId) {
      emit(null, true);
      if (node.size) out.push({ blobId: node.attachmentId, size: node.size });
    }
    if (Array.isArray(node.childNodes)) {
      node.childNodes.forEach((child, i) => {
        walk(child);
        if (i < node.childNodes!.length - 1) emit(`--${node.boundary}`);
      });
    }
    if (node.boundary) emit(`--${node.boundary}--\r\n`);
    emit();
  };

  walk(root);
  // imap-core appends a CRLF when lineCount > 1, which adds a line to most single-part messages;
  // prepare-message.ts checks the real input and records the answer on the root instead. Parts
  // (no flag) end where their body ends: the CRLF before a boundary belongs to the boundary
  // (RFC 2046 5.1.1). `textOnly` only decides about the root header.
  if (root.heronTrailer === true) out.push(CRLF);
  return out;
}

export function segmentsLength(segments: readonly Segment[]): number {
  let n = 0;
  for (const s of segments) n += Buffer.isBuffer(s) ? s.length : s.size;
  return n;
}
