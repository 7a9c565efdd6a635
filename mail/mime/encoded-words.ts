import { decodeCharset } from './charset.js';
import { decodeHexEscapes } from './hex-escapes.js';

/**
 * RFC 2047 encoded words (`=?charset?B|Q?text?=`) in unstructured text and phrases. White space
 * between two encoded words is dropped (RFC 2047 6.2); consecutive words in the same charset are
 * joined as bytes before decoding, so a character split across words (common with B) survives.
 * Anything that does not parse stays as written. Linear: the search for `?=` is cached.
 */
export function decodeEncodedWords(s: string): string {
  if (s.indexOf('=?') < 0) return s;
  const out: string[] = [];
  let pos = 0;
  // A run of adjacent encoded words in one charset, decoded when the run ends.
  let runCharset: string | null = null;
  let runBytes: Buffer[] = [];
  // The last search for "?=": the text after `from` holds no "?=" before `found` (-1: none at all).
  let searchedFrom = Infinity;
  let found = -1;
  const findEnd = (from: number): number => {
    if (from < searchedFrom || (found !== -1 && found < from)) {
      searchedFrom = from;
      found = s.indexOf('?=', from);
    }
    return found;
  };
  const flushRun = () => {
    if (runCharset !== null) out.push(decodeCharset(Buffer.concat(runBytes), runCharset));
    runCharset = null;
    runBytes = [];
  };
  while (pos < s.length) {
    const start = s.indexOf('=?', pos);
    if (start < 0) break;
    const word = parseWord(s, start, findEnd);
    if (!word) {
      // Not an encoded word: keep the text up to and including this "=?".
      flushRun();
      out.push(s.slice(pos, start + 2));
      pos = start + 2;
      continue;
    }
    const between = s.slice(pos, start);
    const onlySpace = /^[ \t\r\n]*$/.test(between);
    if (runCharset !== null && onlySpace) {
      // Adjacent to the previous encoded word: the white space goes.
      if (word.charset.toLowerCase() !== runCharset.toLowerCase()) {
        flushRun();
        runCharset = word.charset;
      }
    } else {
      flushRun();
      out.push(between);
      runCharset = word.charset;
    }
    runBytes.push(word.bytes);
    pos = word.end;
  }
  flushRun();
  out.push(s.slice(pos));
  return out.join('');
}

interface Word {
  charset: string;
  bytes: Buffer;
  end: number;
}

function parseWord(s: string, start: number, findEnd: (from: number) => number): Word | null {
  // charset: up to 75 token characters (the whole word may not be longer, RFC 2047 2).
  let i = start + 2;
  const limit = Math.min(s.length, i + 76);
  while (i < limit && s[i] !== '?' && s[i] !== ' ' && s[i] !== '\t') i++;
  if (s[i] !== '?' || i === start + 2) return null;
  let charset = s.slice(start + 2, i);
  const star = charset.indexOf('*');
  if (star >= 0) charset = charset.slice(0, star); // RFC 2231 5 language suffix
  const enc = s[i + 1];
  if (s[i + 2] !== '?' || !enc || !'bBqQ'.includes(enc)) return null;
  const textStart = i + 3;
  const end = findEnd(textStart);
  if (end < 0) return null;
  const text = s.slice(textStart, end);
  if (text.includes('?')) return null;
  const bytes = enc === 'b' || enc === 'B' ? Buffer.from(text.replace(/[^A-Za-z0-9+/]/g, ''), 'base64') : decodeHexEscapes(text, '=', true);
  return { charset, bytes, end: end + 2 };
}
