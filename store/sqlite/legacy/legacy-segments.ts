/**
 * Rebuilds the exact bytes of a format-1 message from its stored imap-core MIME tree: inline
 * Buffers and references to blob-store bodies. Kept from the old message codec only to read
 * data written before format 2 (the upgrade in legacy-messages.ts); the layout rules follow
 * imap-core's Indexer.rebuild, which split the tree in the first place.
 */
import type { ContentSegment } from '../../../domain/index.js';

interface TreeNode {
  header?: string[] | string;
  body?: unknown;
  boundary?: string | false;
  attachmentId?: string;
  size?: number;
  childNodes?: TreeNode[];
  message?: TreeNode;
  /** Whether a final CRLF follows the tree's bytes (set on the root by the old codec). */
  heronTrailer?: boolean;
  /** The whole message as one blob, when the tree could not reproduce the input. */
  heronRaw?: { blobId: string; size: number; bodyOffset: number };
}

const CRLF = Buffer.from('\r\n');

function bodyBuffer(body: unknown): Buffer | null {
  if (!body) return null;
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'binary');
  return null;
}

function headerLines(header: TreeNode['header']): string[] {
  if (!header) return [];
  return Array.isArray(header) ? header : [header];
}

export function legacySegments(tree: Record<string, unknown>): ContentSegment[] {
  const root = tree as TreeNode;
  const raw = root.heronRaw;
  if (raw && typeof raw.blobId === 'string') return [{ blobId: raw.blobId, size: raw.size }];
  const out: ContentSegment[] = [];
  let firstLine = true;
  let remainder: Buffer | null = null;

  // A line break goes before each emitted piece except the first; the pending body
  // ("remainder") is flushed in front of whatever comes next.
  const emit = (data?: string | null, force = false): void => {
    if (remainder || data || force) {
      if (!firstLine) out.push({ data: CRLF });
      else firstLine = false;
      if (remainder && remainder.length) out.push({ data: remainder });
      if (data) out.push({ data: Buffer.from(data, 'binary') });
    }
    remainder = null;
  };

  const walk = (node: TreeNode): void => {
    emit(headerLines(node.header).join('\r\n') + '\r\n');
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
  if (root.heronTrailer === true) out.push({ data: CRLF });
  return out;
}
