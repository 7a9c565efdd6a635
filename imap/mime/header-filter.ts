import { splitHeader } from '../../mail/mime/index.js';

const CRLF = Buffer.from('\r\n');

/**
 * HEADER.FIELDS / HEADER.FIELDS.NOT (RFC 3501 6.4.5): the fields of a header block whose names
 * are (or are not) in the list, compared case-insensitively, in message order, each as written
 * (folds kept), then the empty line. When no field matches the result is the empty line alone,
 * as RFC 3501 and imaptest expect (a header of zero fields plus its terminator).
 */
export function filterHeaderFields(header: Buffer, names: readonly string[], not: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const out: Buffer[] = [];
  for (const f of splitHeader(header).fields) {
    if (f.colon < 0 || wanted.has(f.key) === not) continue;
    out.push(f.bytes);
  }
  // The empty line that ends a header. A last field without a line end (a message that is all
  // header) is not given one: this line end ends it, as Dovecot has it.
  out.push(CRLF);
  return Buffer.concat(out);
}

/** The header block with every Content-Transfer-Encoding field set to `binary` (RFC 3516 conversion). */
export function binaryHeader(header: Buffer): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  for (const f of splitHeader(header).fields) {
    if (f.key !== 'content-transfer-encoding') continue;
    out.push(header.subarray(pos, f.start), Buffer.from(`${f.name}: binary\r\n`, 'latin1'));
    pos = f.end;
  }
  out.push(header.subarray(pos));
  return Buffer.concat(out);
}
