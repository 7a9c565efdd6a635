import type { MimePart } from '../../domain/index.js';
import { partText, readableTextParts } from './body-text.js';

/**
 * The first words of the message for list views: from the first text/plain body a reader sees
 * (else the first HTML one, else any text), outside encapsulated messages, white space collapsed.
 * `textOf` may hand over a part's text already decoded (the search text decodes the same parts).
 */
export function makeSnippet(buf: Buffer, root: MimePart, length = 200, textOf?: (part: MimePart) => string | undefined): string {
  const parts = readableTextParts(root);
  const bySubtype = (sub: string) => parts.find((p) => p.subtype.toLowerCase() === sub);
  const plain = bySubtype('plain');
  const html = bySubtype('html');
  const other = parts[0];
  const chosen = plain ?? html ?? other;
  if (!chosen) return '';
  let text = textOf?.(chosen);
  if (text === undefined) {
    // Enough encoded bytes for the first words, even of base64 HTML behind a style sheet.
    const cap = chosen === html ? 64 * 1024 : 8 * 1024;
    text = partText(chosen, buf.subarray(chosen.bodyStart, Math.min(chosen.bodyEnd, chosen.bodyStart + cap)));
  }
  // Look at no more text than the snippet needs (white space collapsed as it goes).
  const head = text.slice(0, length * 8).replace(/\s+/g, ' ').trim();
  const chars = [...head.slice(0, length * 2)];
  return chars.slice(0, length).join('');
}
