import type { MimePart } from '../../domain/index.js';
import { parseMessage } from '../../mail/mime/index.js';
import type { ImapValue } from '../protocol/values.js';
import { bodyStructureValue } from './body-structure.js';

/**
 * BODYPARTSTRUCTURE of a part fetched with BINARY (RFC 5524 URLFETCH): it describes the bytes
 * returned, not the stored ones, so a client reading both gets a consistent answer: the decoded
 * size and line count, and the identity encoding of the decoded data (7bit, 8bit or binary, RFC
 * 2045 2.7-2.9) instead of base64 or quoted-printable. The parts inside a converted
 * message/rfc822 or multipart are read from the converted bytes (their headers already say
 * `binary`, imap/mime/header-filter.ts binaryHeader).
 *
 * `part` is the stored part (null: the whole message), `mimeHeader` its MIME header (for a
 * multipart, whose converted body has none), `data` the BINARY bytes returned.
 */
export function convertedStructureValue(part: MimePart | null, data: Buffer, mimeHeader: Buffer): ImapValue {
  if (!part) return bodyStructureValue(parseMessage(data).structure, { extensible: true });
  if (part.children) {
    return bodyStructureValue(parseMessage(Buffer.concat([mimeHeader, data])).structure, { extensible: true });
  }
  const converted: MimePart = { ...part, encoding: identityEncoding(data), bodyStart: 0, bodyEnd: data.length, bodyLines: lineCount(data) };
  if (part.message) converted.message = { ...part.message, part: parseMessage(data).structure };
  return bodyStructureValue(converted, { extensible: true });
}

/** RFC 2045 2.7-2.9: 7bit (short CRLF lines, US-ASCII, no NUL), 8bit (the same with 8-bit bytes), else binary. */
export function identityEncoding(data: Buffer): '7bit' | '8bit' | 'binary' {
  let eight = false;
  let lineLength = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0) return 'binary';
    if (c === 0x0d) {
      if (data[i + 1] !== 0x0a) return 'binary';
      i++;
      lineLength = 0;
      continue;
    }
    if (c === 0x0a) return 'binary';
    if (c >= 0x80) eight = true;
    if (++lineLength > 998) return 'binary';
  }
  return eight ? '8bit' : '7bit';
}

function lineCount(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(0x0a); i >= 0; i = data.indexOf(0x0a, i + 1)) n++;
  return n;
}
