import type { Readable } from 'node:stream';
import type { BlobStore, MimeTree } from '../../domain/index.js';
import { planSegments, rawFallbackOf, segmentsLength, type Segment } from './mime-segments.js';
import { streamSegments, type ByteRange, type StreamOptions } from './message-stream.js';
import { loadIndexerClass, type ImapCoreIndexer } from './wildduck-modules.js';

/** RFC 3501 6.4.5 section spec, as imap-core parses it. */
export interface SectionSelector {
  /** Dot-separated part number, '' for the whole message. */
  path?: string;
  type?: 'content' | 'header' | 'header.fields' | 'header.fields.not' | 'text' | 'mime' | '';
  headers?: string[];
}

export interface MessageContent {
  /** Exact byte length of the full section (before any partial range). */
  length: number;
  /** Opens the bytes of `range` (whole section by default). */
  open(range?: ByteRange): Readable;
}

export interface MessageReader {
  /** The whole message, byte-identical to what was delivered (BODY[], RFC822). */
  message(tree: MimeTree): MessageContent;
  /** A section: streams for content/text, small Buffers for header-ish sections. Null if the part does not exist. */
  section(tree: MimeTree, selector: SectionSelector): MessageContent | null;
}

function bufferContent(buf: Buffer, blobs: BlobStore): MessageContent {
  const segs: Segment[] = buf.length ? [buf] : [];
  return { length: buf.length, open: (range) => streamSegments(segs, blobs, buf.length, range) };
}

function segmentContent(segs: Segment[], blobs: BlobStore, opts: StreamOptions): MessageContent {
  const length = segmentsLength(segs);
  return { length, open: (range) => streamSegments(segs, blobs, length, range, opts) };
}

/**
 * Reads stored messages back from their MIME tree and the blob store. Header sections come from
 * the tree (imap-core's getContents); bodies are planned by mime-segments.ts and streamed.
 */
export function createMessageReader(blobs: BlobStore, opts: StreamOptions = {}): MessageReader {
  const Indexer = loadIndexerClass();
  const indexer: ImapCoreIndexer = new Indexer();

  return {
    message(tree) {
      const raw = rawFallbackOf(tree);
      if (raw) return segmentContent([{ blobId: raw.blobId, size: raw.size }], blobs, opts);
      return segmentContent(planSegments(tree, false), blobs, opts);
    },
    section(tree, selector) {
      const path = selector.path ?? '';
      const type = selector.type || 'content';
      const node = path ? indexer.resolveContentNode(tree, path) : tree;
      if (!node) return null;
      const raw = path ? null : rawFallbackOf(tree);
      if (raw && type === 'content') return this.message(tree);
      if (raw && type === 'text') {
        return segmentContent([{ blobId: raw.blobId, size: raw.size - raw.bodyOffset, offset: raw.bodyOffset }], blobs, opts);
      }
      switch (type) {
        case 'content':
          // BODY[] is the whole message; BODY[1.2] is the part without its MIME header.
          return segmentContent(planSegments(node as MimeTree, path !== ''), blobs, opts);
        case 'text': {
          if (!path) return segmentContent(planSegments(node as MimeTree, true), blobs, opts);
          const inner = (node as { message?: MimeTree }).message;
          // TEXT of a part is only defined for message/rfc822 parts (RFC 3501 6.4.5).
          return inner ? segmentContent(planSegments(inner, true), blobs, opts) : bufferContent(Buffer.alloc(0), blobs);
        }
        default: {
          const value = indexer.getContents(tree, { path, type, headers: selector.headers });
          const buf = Buffer.isBuffer(value) ? value : Buffer.from(String(value ?? ''), 'binary');
          return bufferContent(buf, blobs);
        }
      }
    },
  };
}
