/**
 * SEARCH / SORT / THREAD CHARSET (RFC 3501 6.4.4): UTF-8 and US-ASCII must be supported; any
 * other charset iconv-lite knows is accepted too. An unknown one is `NO [BADCHARSET (...)]`.
 */
import iconv from 'iconv-lite';
import { ProtocolError } from './errors.js';

export type Decoder = (bytes: Buffer) => string;

const utf8: Decoder = (b) => b.toString('utf8');

export function charsetDecoder(charset: string | null): Decoder {
  if (charset === null) return utf8;
  const name = charset.toUpperCase();
  if (name === 'UTF-8' || name === 'US-ASCII' || name === 'UTF8' || name === 'ASCII') return utf8;
  if (!iconv.encodingExists(name)) throw new ProtocolError('Unsupported charset', 'BADCHARSET', 'NO', '(UTF-8 US-ASCII)');
  return (b) => iconv.decode(b, name);
}
