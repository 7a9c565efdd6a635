import libmime from 'libmime';
import type { AttachmentInfo, MimePart } from '../../domain/index.js';
import { decodeEncodedWords } from './encoded-words.js';
import { decodeParam } from './mime-params.js';
import { mimeType, pushReversed, subParts, topParts, type NumberedPart } from './part-walk.js';
import { decodedLength, transferDecoder } from './transfer-decode.js';

const LF = 0x0a;
const EQ = 0x3d;

/**
 * The attachments a reader sees, with IMAP part numbers: leaves that are marked as attachments,
 * carry a file name, or are not text; and encapsulated messages, listed as one `.eml` attachment
 * each (what is inside them belongs to them). `body(part)` gives a part's stored body (for the
 * decoded size); it may return a prefix or null when the bytes are not at hand, and the size is
 * then the encoded size.
 */
export function listAttachments(root: MimePart, body: (part: MimePart) => Buffer | null): AttachmentInfo[] {
  const out: AttachmentInfo[] = [];
  const stack: NumberedPart[] = topParts(root).reverse();
  while (stack.length > 0) {
    const np = stack.pop()!;
    const { part } = np;
    if (part.children) {
      pushReversed(stack, subParts(np));
      continue;
    }
    if (!isAttachment(part)) continue;
    out.push(describe(np, body(part)));
  }
  return out;
}

function isAttachment(part: MimePart): boolean {
  const type = part.type.toLowerCase();
  if (part.message) return true;
  if (part.disposition?.type.toLowerCase() === 'attachment') return true;
  if (fileName(part) !== null) return true;
  return type !== 'text';
}

/** The file name: Content-Disposition filename, else Content-Type name (RFC 2231 and RFC 2047 decoded). */
export function fileName(part: MimePart): string | null {
  const name = (part.disposition ? decodeParam(part.disposition.params, 'filename') : null) ?? decodeParam(part.params, 'name');
  // Control characters have no place in a file name a browser or a disk will see.
  const clean = name ? [...name].filter((c) => c >= ' ' && c !== '\x7f').join('').trim() : null;
  return clean ? clean : null;
}

function describe({ part, number }: NumberedPart, body: Buffer | null): AttachmentInfo {
  const contentType = mimeType(part);
  let filename = fileName(part);
  if (filename === null && part.message) {
    const subject = part.message.envelope.subject;
    filename = `${(subject ? decodeEncodedWords(subject).trim() : '') || 'message'}.eml`;
  }
  filename ??= `attachment-${number}.${libmime.detectExtension(contentType) || 'bin'}`;
  const encodedSize = part.bodyEnd - part.bodyStart;
  const size = body && body.length === encodedSize ? estimateDecodedSize(body, part.encoding) : encodedSize;
  const info: AttachmentInfo = { part: number, filename, contentType, size };
  if (part.id) info.contentId = part.id.replace(/^\s*<|>\s*$/g, '');
  if (part.disposition) info.disposition = part.disposition.type.toLowerCase();
  return info;
}


/**
 * The decoded size of a body for listing (AttachmentInfo.size is an estimate; BINARY.SIZE decodes
 * exactly). base64 is counted from its length and line ends, which is exact for the usual
 * CRLF-wrapped encoding and costs a memchr pass instead of a decode; quoted-printable is decoded
 * when small.
 */
function estimateDecodedSize(body: Buffer, encoding: string | null): number {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === 'base64') {
    let end = body.length;
    while (end > 0 && (body[end - 1]! <= 0x20 || body[end - 1] === EQ)) end--;
    let lines = 0;
    for (let i = body.indexOf(LF); i >= 0 && i < end; i = body.indexOf(LF, i + 1)) lines++;
    const chars = Math.max(0, end - 2 * lines);
    return Math.floor((chars * 3) / 4);
  }
  const decoder = transferDecoder(encoding);
  if (decoder && body.length <= 4 * 1024 * 1024) return decodedLength(body, decoder);
  return body.length;
}
