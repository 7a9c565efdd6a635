import { convert } from 'html-to-text';
import libmime from 'libmime';
import type { MimePart } from '../../domain/index.js';
import { decodeCharset } from './charset.js';
import { htmlText } from './html-text.js';
import { pushReversed, subParts, topParts, type NumberedPart } from './part-walk.js';
import { paramValue } from './mime-params.js';
import { decodeTransfer, transferDecoder } from './transfer-decode.js';

/**
 * The readable text of a text/* body: transfer-decoded, charset-decoded (iconv-lite through
 * libmime), format=flowed unwrapped (RFC 3676), HTML turned into text. `encoded` is the part's
 * body as stored (or a prefix of it: callers cap what they decode).
 */
export function partText(part: MimePart, encoded: Buffer, opts: { html?: 'index' | 'view' } = {}): string {
  const decoder = transferDecoder(part.encoding) ?? transferDecoder(null)!;
  const bytes = decodeTransfer(encoded, decoder);
  const text = decodeCharset(bytes, paramValue(part.params, 'charset'));
  const subtype = part.subtype.toLowerCase();
  if (subtype === 'html') return opts.html === 'view' ? htmlToText(text) : htmlText(text);
  if (subtype === 'plain' && paramValue(part.params, 'format')?.toLowerCase() === 'flowed') {
    return libmime.decodeFlowed(text, paramValue(part.params, 'delsp')?.toLowerCase() === 'yes');
  }
  return text;
}

/** The decoded HTML of a text/html body (for the API's message view). */
export function partHtml(part: MimePart, encoded: Buffer): string {
  const decoder = transferDecoder(part.encoding) ?? transferDecoder(null)!;
  return decodeCharset(decodeTransfer(encoded, decoder), paramValue(part.params, 'charset'));
}

const HTML_OPTIONS = {
  wordwrap: false as const,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
  ],
};

/**
 * HTML as readable text (lists, tables, paragraphs kept) with html-to-text, for the message view.
 * Its DOM walk grows faster than linear with nesting depth, so deeply nested or very large
 * documents get the linear `htmlText` instead.
 */
export function htmlToText(html: string, maxInput = 2_000_000): string {
  if (html.length > maxInput || nestingDepth(html) > 200) return htmlText(html.slice(0, maxInput));
  try {
    return convert(html, { ...HTML_OPTIONS, limits: { maxInputLength: maxInput } });
  } catch {
    return htmlText(html);
  }
}

const VOID = new Set(['br', 'img', 'hr', 'input', 'meta', 'link', 'wbr', 'col', 'area', 'base', 'embed', 'source', 'track', 'param']);

/** An upper bound of element nesting: open tags minus close tags, void elements left out. Linear. */
function nestingDepth(html: string): number {
  let depth = 0;
  let max = 0;
  const re = /<(\/?)([A-Za-z][A-Za-z0-9]*)[^<>]*?(\/?)>/g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (VOID.has(m[2]!.toLowerCase()) || m[3]) continue;
    depth = m[1] ? Math.max(0, depth - 1) : depth + 1;
    if (depth > max) max = depth;
  }
  return max;
}

/** Whether a part is a text body a reader sees (not an attachment). */
export function isInlineText(part: MimePart): boolean {
  if (part.type.toLowerCase() !== 'text') return false;
  const d = part.disposition?.type.toLowerCase();
  return d !== 'attachment';
}

/** The text bodies a reader sees, in order: inline text/* leaves outside encapsulated messages. */
export function readableTextParts(root: MimePart): MimePart[] {
  const out: MimePart[] = [];
  const stack: NumberedPart[] = topParts(root).reverse();
  while (stack.length > 0) {
    const np = stack.pop()!;
    const { part } = np;
    if (part.message) continue;
    if (part.children) pushReversed(stack, subParts(np));
    else if (isInlineText(part)) out.push(part);
  }
  return out;
}
