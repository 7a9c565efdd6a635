/**
 * Writing header fields (RFC 5322 2.2). Values come from users and remote peers, so a value with
 * a line end or NUL is refused rather than written: a CR or LF in a value would start a field of
 * the sender's choosing (header injection).
 */

export class HeaderFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeaderFormatError';
  }
}

const FOLD_AT = 78;
const NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/**
 * `Name: value` CRLF, folded at white space so lines stay near 78 characters (RFC 5322 2.1.1);
 * a run without white space is kept whole (the 998 limit is the sender's: such values are
 * usually tokens that must not be split).
 */
export function formatHeaderField(name: string, value: string): string {
  if (!NAME.test(name)) throw new HeaderFormatError(`invalid header field name: ${JSON.stringify(name)}`);
  if (/[\r\n\0]/.test(value)) throw new HeaderFormatError(`header field ${name}: value contains CR, LF or NUL`);
  // Alternating text and white-space runs; a fold goes before a white-space run (RFC 5322 2.2.3).
  const parts = value.split(/([ \t]+)/);
  const lines: string[] = [];
  let line = `${name}: ${parts[0] ?? ''}`;
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const ws = parts[i]!;
    const text = parts[i + 1]!;
    if (line.length + ws.length + text.length > FOLD_AT && line.trim().length > name.length + 1 && text !== '') {
      lines.push(line);
      line = ws + text;
    } else {
      line += ws + text;
    }
  }
  lines.push(line);
  return lines.join('\r\n') + '\r\n';
}
