import { decode, normalizeCharset } from 'libmime/lib/charset.js';

/**
 * Bytes in a declared charset to Unicode, through libmime's table of charset aliases and
 * iconv-lite. An unknown charset (or one that is not a text charset, like UTF-7, which can hide
 * markup from filters) reads as UTF-8: text is kept rather than dropped.
 */
export function decodeCharset(buf: Buffer, charset: string | null | undefined): string {
  if (!charset) return buf.toString('utf8');
  try {
    return decode(buf, charset);
  } catch {
    return buf.toString('utf8');
  }
}

export function charsetName(charset: string): string {
  return normalizeCharset(charset);
}
