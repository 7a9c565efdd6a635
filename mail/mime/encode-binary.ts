import type { MimePart } from '../../domain/index.js';
import { splitHeader } from './header-block.js';
import { pushReversed } from './part-walk.js';
import { parseStructure } from './structure.js';

/**
 * Makes a message with binary content storable as text, for APPEND with a literal8 (RFC 3516
 * 4.4) or any input whose parts carry `Content-Transfer-Encoding: binary` or NUL bytes: each such
 * leaf is re-encoded as base64 and its header says so, as Dovecot does. BINARY[] then decodes
 * it back to the exact bytes, while BODY[] and every IMAP4rev1 client see 7-bit text. Must run on
 * the raw input, before line ends are normalised (binary bodies hold bare CR and LF as data).
 * Returns `raw` itself when there is nothing to convert.
 */
export function encodeBinaryParts(raw: Buffer): Buffer {
  const { root } = parseStructure(raw);
  const leaves: MimePart[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (p.children) pushReversed(stack, p.children);
    else if (p.message) stack.push(p.message.part);
    else if (needsEncoding(raw, p)) leaves.push(p);
  }
  if (leaves.length === 0) return raw;
  leaves.sort((a, b) => a.headerStart - b.headerStart);
  const out: Buffer[] = [];
  let pos = 0;
  for (const leaf of leaves) {
    const body = base64Lines(raw.subarray(leaf.bodyStart, leaf.bodyEnd));
    // The line end before a boundary belongs to the boundary; a body that ends the message gets its own.
    out.push(raw.subarray(pos, leaf.headerStart), base64Header(raw, leaf), body, leaf.bodyEnd === raw.length ? CRLF : EMPTY);
    pos = leaf.bodyEnd;
  }
  out.push(raw.subarray(pos));
  return Buffer.concat(out);
}

function needsEncoding(raw: Buffer, p: MimePart): boolean {
  const e = (p.encoding ?? '').trim().toLowerCase();
  if (e === 'binary') return true;
  if (e !== '' && e !== '7bit' && e !== '8bit') return false;
  return raw.subarray(p.bodyStart, p.bodyEnd).includes(0);
}

/** The part's header with its Content-Transfer-Encoding set to base64 (added when absent). */
function base64Header(raw: Buffer, p: MimePart): Buffer {
  const h = splitHeader(raw, { start: p.headerStart, end: p.bodyStart });
  const field = Buffer.from('Content-Transfer-Encoding: base64\r\n');
  const out: Buffer[] = [];
  let pos = p.headerStart;
  let replaced = false;
  for (const f of h.fields) {
    if (f.key !== 'content-transfer-encoding') continue;
    out.push(raw.subarray(pos, f.start));
    if (!replaced) out.push(field);
    replaced = true;
    pos = f.end;
  }
  if (!replaced) {
    out.push(raw.subarray(pos, h.headerEnd), field);
    pos = h.headerEnd;
  }
  out.push(raw.subarray(pos, p.bodyStart));
  // A header that ended without an empty line (no body separator) needs one now.
  if (!h.hasSeparator) out.push(CRLF);
  return Buffer.concat(out);
}

const CRLF = Buffer.from('\r\n');
const EMPTY = Buffer.alloc(0);

/** base64 in lines of 76 characters (RFC 2045 6.8) joined by CRLF. */
function base64Lines(body: Buffer): Buffer {
  const b64 = body.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return Buffer.from(lines.join('\r\n'));
}
