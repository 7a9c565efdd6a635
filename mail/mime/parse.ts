import type { AttachmentInfo, MessageEnvelope, MessageHeaderSummary, MimePart, SortKeys } from '../../domain/index.js';
import { listAttachments } from './attachments.js';
import { summarizeHeader } from './header-summary.js';
import { normalizeLineEnds } from './line-ends.js';
import { buildSearchText, DEFAULT_SEARCH_CAPS, type SearchCaps, type SearchText } from './search-text.js';
import { makeSnippet } from './snippet.js';
import { computeSortKeys } from './sort-keys.js';
import { parseStructure, type StructureLimits } from './structure.js';

export interface ParseOptions {
  /** Part count, nesting depth and header field limits (beyond them: opaque body, never an error). */
  limits?: Partial<StructureLimits>;
  /** Caps on the search text (characters) and on the bytes of one part decoded for it. */
  search?: Partial<SearchCaps>;
  /** Snippet length in characters (default 200). */
  snippetLength?: number;
}

/** Everything known about a message from its bytes alone. Plain data (structured-clonable), so it can cross a worker boundary. */
export interface ParsedMessage {
  /**
   * The message as served (BODY[]): the input with every bare LF and bare CR made CRLF (RFC 5322
   * 2.3; mail/mime/line-ends.ts says why bare CR too). All offsets point into these bytes.
   */
  bytes: Buffer;
  structure: MimePart;
  envelope: MessageEnvelope;
  header: MessageHeaderSummary;
  sortKeys: SortKeys;
  search: SearchText;
  snippet: string;
  attachments: AttachmentInfo[];
}

/**
 * Parses a raw message once. Pure: no I/O, no clock, no shared state, so it can run in a worker
 * thread. Never throws on content: empty input, headers only, broken or hostile MIME all give a
 * message (limits make the rest opaque); cost is linear in the input.
 */
export function parseMessage(raw: Buffer, opts: ParseOptions = {}): ParsedMessage {
  const bytes = normalizeLineEnds(asBuffer(raw));
  const { root, fields, envelope } = parseStructure(bytes, opts.limits);
  const caps = { ...DEFAULT_SEARCH_CAPS, ...opts.search };
  const texts = new Map<MimePart, string>();
  const search = buildSearchText((a, b) => bytes.subarray(a, b), root, caps, { body: true }, (p, t) => texts.set(p, t));
  return {
    bytes,
    structure: root,
    envelope,
    header: summarizeHeader(fields),
    sortKeys: computeSortKeys(fields),
    search,
    snippet: makeSnippet(bytes, root, opts.snippetLength, (p) => texts.get(p)),
    attachments: listAttachments(root, (p) => bytes.subarray(p.bodyStart, p.bodyEnd)),
  };
}

/** A Buffer view of bytes that crossed a structured clone (worker threads hand over Uint8Arrays). No copy. */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
