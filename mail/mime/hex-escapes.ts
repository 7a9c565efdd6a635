/** The value of one hex digit, or -1. */
export function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Bytes of `text` (UTF-8) with `<escape>XX` hex escapes decoded; a malformed escape is kept as
 * written. `underscoreIsSpace` is RFC 2047's Q encoding; without it, RFC 2231's `%XX`.
 */
export function decodeHexEscapes(text: string, escape: '=' | '%', underscoreIsSpace: boolean): Buffer {
  const src = Buffer.from(text, 'utf8');
  const esc = escape.charCodeAt(0);
  const out = Buffer.allocUnsafe(src.length);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const h = c === esc && i + 2 < src.length ? hexValue(src[i + 1]) : -1;
    const l = h >= 0 ? hexValue(src[i + 2]) : -1;
    if (l >= 0) {
      out[o++] = h * 16 + l;
      i += 2;
    } else out[o++] = underscoreIsSpace && c === 0x5f ? 0x20 : c;
  }
  return out.subarray(0, o);
}
