import type { MimePart } from '../../domain/index.js';
import { IDENTITY_ENCODINGS, pushReversed, transferDecoder } from '../../mail/mime/index.js';
import type { SectionSpec } from '../protocol/values.js';
import { EMPTY_PLAN, type SectionPiece, type SectionPlan } from './section-plan.js';

/**
 * BODY[section] (RFC 3501 6.4.5, RFC 9051 6.4.5) as a plan over the stored bytes. Part numbers:
 * the children of a multipart are 1..n; a non-multipart message has one part, 1, its body; a
 * message/rfc822 part's own numbers (N.1, N.HEADER, N.TEXT) refer to the encapsulated message.
 * A section that does not exist is the empty string.
 */
export function resolveSection(root: MimePart, spec: SectionSpec): SectionPlan {
  if (spec.part.length === 0) return messageSection(root, spec);
  const part = partAt(root, spec.part);
  if (!part) return EMPTY_PLAN;
  switch (spec.text) {
    case undefined:
      return range(part.bodyStart, part.bodyEnd);
    case 'MIME':
      // RFC 3501: the MIME header of the part (for part 1 of a non-multipart message, the message header).
      return range(part.headerStart, part.bodyStart);
    default:
      // HEADER, HEADER.FIELDS[.NOT] and TEXT exist only on an encapsulated message.
      return part.message ? messageSection(part.message.part, spec) : EMPTY_PLAN;
  }
}

/** HEADER / HEADER.FIELDS / TEXT / whole of the message whose root is `root`. */
function messageSection(root: MimePart, spec: SectionSpec): SectionPlan {
  switch (spec.text) {
    case undefined:
      return range(root.headerStart, root.bodyEnd);
    case 'HEADER':
      return range(root.headerStart, root.bodyStart);
    case 'TEXT':
      return range(root.bodyStart, root.bodyEnd);
    case 'HEADER.FIELDS':
    case 'HEADER.FIELDS.NOT':
      return {
        pieces: [{ headerFields: { start: root.headerStart, end: root.bodyStart, names: spec.fields ?? [], not: spec.text === 'HEADER.FIELDS.NOT' } }],
      };
    default:
      // MIME needs a part number (RFC 3501 section-spec).
      return EMPTY_PLAN;
  }
}

/** The part with IMAP number `path` (RFC 3501 6.4.5), or null when there is none. */
export function partAt(root: MimePart, path: readonly number[]): MimePart | null {
  // Part numbers below the message root: a multipart root's children, or the root itself as "1".
  let cur: MimePart | null = pick(root, path[0]!, true);
  for (let i = 1; cur && i < path.length; i++) cur = pick(cur, path[i]!, false);
  return cur;
}

function pick(part: MimePart, n: number, isRoot: boolean): MimePart | null {
  if (!Number.isInteger(n) || n < 1) return null;
  if (part.children) return part.children[n - 1] ?? null;
  if (isRoot) return n === 1 ? part : null;
  const inner = part.message?.part;
  if (!inner) return null;
  if (inner.children) return inner.children[n - 1] ?? null;
  return n === 1 ? inner : null;
}

function range(start: number, end: number): SectionPlan {
  return end > start ? { pieces: [{ range: [start, end] }] } : EMPTY_PLAN;
}

/**
 * BINARY[part] (RFC 3516 4.2): the content-transfer-decoded body of a single part; for the whole
 * message, a message/rfc822 part or a multipart, those bytes with every base64 or
 * quoted-printable leaf inside decoded and its header saying `Content-Transfer-Encoding: binary`
 * (as Dovecot converts them). An unknown encoding on the part asked for is UNKNOWN-CTE.
 */
export function resolveBinary(root: MimePart, path: readonly number[]): SectionPlan | { error: 'UNKNOWN-CTE' } {
  if (path.length === 0) return convert(root, root.headerStart, root.bodyEnd);
  const part = partAt(root, path);
  if (!part) return EMPTY_PLAN;
  if (part.children) return convert(part, part.bodyStart, part.bodyEnd);
  if (part.message) return convert(part.message.part, part.bodyStart, part.bodyEnd);
  if (!transferDecoder(part.encoding)) return { error: 'UNKNOWN-CTE' };
  if (isIdentity(part.encoding)) return range(part.bodyStart, part.bodyEnd);
  return { pieces: [{ decoded: { start: part.bodyStart, end: part.bodyEnd, encoding: part.encoding } }] };
}

function isIdentity(encoding: string | null): boolean {
  return IDENTITY_ENCODINGS.has((encoding ?? '').trim().toLowerCase());
}

/** Bytes [start, end) containing `top`, with its encoded leaves decoded in place. */
function convert(top: MimePart, start: number, end: number): SectionPlan {
  const leaves: MimePart[] = [];
  const stack = [top];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (p.children) pushReversed(stack, p.children);
    else if (p.message) stack.push(p.message.part);
    else if (!isIdentity(p.encoding) && transferDecoder(p.encoding)) leaves.push(p);
  }
  if (leaves.length === 0) return range(start, end);
  const pieces: SectionPiece[] = [];
  let pos = start;
  for (const leaf of leaves) {
    if (leaf.headerStart > pos) pieces.push({ range: [pos, leaf.headerStart] });
    pieces.push({ binaryHeader: { start: leaf.headerStart, end: leaf.bodyStart } });
    pieces.push({ decoded: { start: leaf.bodyStart, end: leaf.bodyEnd, encoding: leaf.encoding } });
    pos = leaf.bodyEnd;
  }
  if (end > pos) pieces.push({ range: [pos, end] });
  return { pieces };
}
