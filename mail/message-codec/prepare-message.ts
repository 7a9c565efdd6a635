import type { AttachmentInfo, BlobStore, MimeTree, PreparedMessage } from '../../domain/index.js';
import { loadIndexerClass, loadLibmime } from './wildduck-modules.js';
import { summarizeHeaders } from './header-summary.js';
import { planSegments, segmentsLength, RAW_FALLBACK_KEY, type RawFallback } from './mime-segments.js';

export interface PrepareOptions {
  /** Cap on the plain text kept for full-text search (characters). */
  maxTextLength?: number;
  /** Cap on the raw header block kept for HEADER search (characters). */
  maxHeaderTextLength?: number;
  /** Cap on the total HTML kept for the API view (characters). */
  maxHtmlLength?: number;
}

const DEFAULTS = { maxTextLength: 256 * 1024, maxHeaderTextLength: 64 * 1024, maxHtmlLength: 1024 * 1024 };

interface TreeNode {
  header?: string[];
  parsedHeader?: Record<string, unknown>;
  attachmentId?: string;
  childNodes?: TreeNode[];
  message?: TreeNode;
  rootNode?: boolean;
}

function walkTree(node: TreeNode | undefined, visit: (n: TreeNode) => void): void {
  if (!node) return;
  visit(node);
  node.childNodes?.forEach((c) => walkTree(c, visit));
  if (node.message) walkTree(node.message, visit);
}

/** Broken input must not fail delivery: an empty tree still serves as an empty message. */
function parseTree(raw: Buffer): TreeNode {
  const Indexer = loadIndexerClass();
  const indexer = new Indexer();
  const tree = indexer.parseMimeTree(raw) as TreeNode | false;
  if (tree && typeof tree === 'object') return tree;
  return indexer.parseMimeTree(Buffer.from('\r\n')) as TreeNode;
}

/** The parser turns every LF into CRLF; this is the input as the tree knows it (RFC 5322 2.3). */
function normalizeLineEnds(raw: Buffer): Buffer {
  if (!raw.includes(0x0a)) return raw;
  return Buffer.from(raw.toString('binary').replace(/\r?\n/g, '\r\n'), 'binary');
}

function sameBytes(segments: ReturnType<typeof planSegments>, expected: Buffer): boolean {
  if (segmentsLength(segments) !== expected.length) return false;
  let pos = 0;
  for (const s of segments) {
    // Before extraction every segment is an inline Buffer.
    if (!Buffer.isBuffer(s)) return false;
    if (!s.equals(expected.subarray(pos, pos + s.length))) return false;
    pos += s.length;
  }
  return true;
}

/** Records on the root whether a final CRLF follows; false when neither choice reproduces the input. */
function chooseTrailer(tree: Record<string, unknown>, expected: Buffer): boolean {
  for (const trailer of [false, true]) {
    tree['heronTrailer'] = trailer;
    if (sameBytes(planSegments(tree, false), expected)) return true;
  }
  tree['heronTrailer'] = false;
  return false;
}

/**
 * Parses a raw RFC 5322 message once with imap-core's indexer and makes it ready for the store:
 * ENVELOPE and BODYSTRUCTURE precomputed, search text extracted, attachment bodies and large text
 * parts written to the BlobStore (still transfer-encoded, so the message rebuilds byte for byte)
 * and referenced by blob id. Input with bare LF line ends is served with CRLF (RFC 5322 2.3);
 * `size` is the length of what is served.
 */
export async function prepareMessage(raw: Buffer, blobs: BlobStore, opts: PrepareOptions = {}): Promise<PreparedMessage> {
  const o = { ...DEFAULTS, ...opts };
  const Indexer = loadIndexerClass();
  const indexer = new Indexer();
  const libmime = loadLibmime();

  const tree = parseTree(raw);
  const treeRecord = tree as unknown as Record<string, unknown>;
  const normalized = normalizeLineEnds(raw);
  const exact = chooseTrailer(treeRecord, normalized);
  const envelope = indexer.getEnvelope(treeRecord);
  const bodystructure = indexer.getBodyStructure(treeRecord);
  const header = summarizeHeaders(libmime, tree.parsedHeader ?? {});
  const headerText = (tree.header ?? []).join('\r\n').slice(0, o.maxHeaderTextLength);

  // getMaildata swaps every attachment / large text body for a placeholder id (ATT00001...).
  // When the tree cannot reproduce the input (broken MIME), BODY[] and TEXT are served from a
  // blob of the whole message; the tree still answers BODYSTRUCTURE and part fetches.
  let rawFallback: RawFallback | undefined;
  if (!exact) {
    const blob = await blobs.put(normalized);
    const headerEnd = normalized.indexOf('\r\n\r\n');
    rawFallback = { blobId: blob.id, size: blob.size, bodyOffset: headerEnd < 0 ? normalized.length : headerEnd + 4 };
  }
  const size = rawFallback ? rawFallback.size : segmentsLength(planSegments(treeRecord, false));

  let maildata: ReturnType<typeof indexer.getMaildata>;
  let stored: TreeNode = tree;
  try {
    maildata = indexer.getMaildata(treeRecord);
  } catch {
    // A part that cannot be decoded leaves a half-rewritten tree: keep a fresh copy with every
    // body inline instead (served the same, only without search text or blobs).
    stored = parseTree(raw);
    maildata = { nodes: [], attachments: [], text: '', html: [] };
  }
  const placeholderToBlob = new Map<string, { id: string; size: number }>();
  for (const node of maildata.nodes) {
    const body = Buffer.isBuffer(node.body) ? node.body : Buffer.from(String(node.body ?? ''), 'binary');
    placeholderToBlob.set(node.attachmentId, await blobs.put(body));
  }
  const blobIds = new Set<string>();
  walkTree(stored, (n) => {
    if (!n.attachmentId) return;
    const blob = placeholderToBlob.get(n.attachmentId);
    if (blob) {
      n.attachmentId = blob.id;
      blobIds.add(blob.id);
    }
  });
  const storedRecord = stored as unknown as Record<string, unknown>;
  delete storedRecord['attachmentMap'];
  storedRecord['heronTrailer'] = treeRecord['heronTrailer'];
  if (rawFallback) {
    storedRecord[RAW_FALLBACK_KEY] = rawFallback;
    blobIds.add(rawFallback.blobId);
  }

  const attachments: AttachmentInfo[] = [];
  for (const a of maildata.attachments) {
    const blob = placeholderToBlob.get(a.id);
    if (!blob) continue;
    const info: AttachmentInfo = { blobId: blob.id, filename: a.filename, contentType: a.contentType, size: blob.size };
    if (a.cid) info.contentId = a.cid;
    if (a.disposition) info.disposition = a.disposition;
    attachments.push(info);
  }

  // getMaildata also renders plain text as HTML; storing that copy would double every
  // text-only message for nothing, so HTML is kept only when the sender wrote some.
  let hasHtmlPart = false;
  walkTree(tree, (n) => {
    const ct = (n as { parsedHeader?: Record<string, { value?: unknown } | undefined> }).parsedHeader?.['content-type'];
    if (typeof ct?.value === 'string' && ct.value.toLowerCase().trim() === 'text/html') hasHtmlPart = true;
  });
  let htmlBudget = o.maxHtmlLength;
  const html: string[] = [];
  for (const h of hasHtmlPart ? maildata.html : []) {
    if (htmlBudget <= 0) break;
    html.push(h.slice(0, htmlBudget));
    htmlBudget -= h.length;
  }

  return {
    mimeTree: storedRecord as MimeTree,
    size,
    envelope,
    bodystructure,
    header,
    headerText,
    text: (maildata.text ?? '').slice(0, o.maxTextLength),
    html,
    attachments,
    blobIds: [...blobIds],
  };
}
