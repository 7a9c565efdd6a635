/**
 * Mailbox names on the wire: modified UTF-7 (RFC 3501 5.1.3) for IMAP4rev1 clients, plain UTF-8
 * once the client enabled UTF8=ACCEPT (RFC 6855 3) or IMAP4rev2 (RFC 9051 5.1).
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

/** Unicode -> modified UTF-7. */
export function encodeMutf7(name: string): string {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const c = name.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) {
      out += c === 0x26 ? '&-' : name[i];
      i++;
      continue;
    }
    let j = i;
    while (j < name.length && (name.charCodeAt(j) < 0x20 || name.charCodeAt(j) > 0x7e)) j++;
    const units = name.slice(i, j);
    const bytes = Buffer.alloc(units.length * 2);
    for (let k = 0; k < units.length; k++) bytes.writeUInt16BE(units.charCodeAt(k), k * 2);
    out += '&' + bytes.toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
    i = j;
  }
  return out;
}

/** Modified UTF-7 -> Unicode; null when the name is not valid modified UTF-7. */
export function decodeMutf7(name: string): string | null {
  if (!name.includes('&')) return name;
  let out = '';
  let i = 0;
  while (i < name.length) {
    const ch = name[i]!;
    if (ch !== '&') {
      out += ch;
      i++;
      continue;
    }
    const end = name.indexOf('-', i + 1);
    if (end < 0) return null;
    if (end === i + 1) {
      out += '&';
      i = end + 1;
      continue;
    }
    let bits = 0;
    let acc = 0;
    const units: number[] = [];
    for (let k = i + 1; k < end; k++) {
      const code = name.charCodeAt(k);
      const v = code < 128 ? B64_VALUE[code]! : -1;
      if (v < 0) return null;
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 16) {
        bits -= 16;
        units.push((acc >> bits) & 0xffff);
        acc &= (1 << bits) - 1;
      }
    }
    // Leftover bits must be zero padding (RFC 2152); no run may encode only printable ASCII.
    if (acc !== 0 || bits >= 6 || units.length === 0) return null;
    const le = Buffer.alloc(units.length * 2);
    for (let k = 0; k < units.length; k++) {
      const u = units[k]!;
      if (u >= 0x20 && u <= 0x7e) return null;
      le.writeUInt16LE(u, k * 2);
    }
    out += le.toString('utf16le');
    i = end + 1;
  }
  return out;
}

/** A mailbox name as the client sent it -> Unicode, or null when it is not a valid name in that mode. */
export function decodeMailboxName(raw: Buffer, utf8: boolean): string | null {
  const text = raw.toString('utf8');
  // Invalid UTF-8 is refused rather than guessed at (it would be stored as U+FFFD).
  if (text.includes('\ufffd') && !raw.includes(Buffer.from('\ufffd'))) return null;
  if (utf8) return text;
  for (let i = 0; i < raw.length; i++) if (raw[i]! >= 0x80) return text; // UTF-8 from a rev1 client: taken as is
  return decodeMutf7(text);
}

/** Unicode -> the client's encoding. */
export function encodeMailboxName(name: string, utf8: boolean): string {
  return utf8 ? name : encodeMutf7(name);
}
