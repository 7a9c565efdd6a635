/**
 * APPEND (RFC 3501 6.3.11) with MULTIAPPEND (RFC 3502), CATENATE (RFC 4469), BINARY literal8
 * (RFC 3516 4.4) and UTF8 data (RFC 6855 4).
 */
import type { AppendMessage, CatenatePart, CommandBody } from './commands.js';
import type { Cursor } from './cursor.js';
import { parseDateTime } from './dates.js';

function catenate(c: Cursor): CatenatePart[] {
  const parts: CatenatePart[] = [];
  c.list(() => {
    const w = c.word();
    c.sp();
    if (w === 'TEXT') {
      // RFC 4469: text-literal = "TEXT" SP literal (literal8 with BINARY, RFC 3516 4.4)
      parts.push({ type: 'text', data: c.literalData().data });
    } else if (w === 'URL') {
      parts.push({ type: 'url', url: c.astringText() });
    } else c.fail('Unknown CATENATE part');
  }, { nonEmpty: true });
  return parts;
}

function message(c: Cursor): AppendMessage {
  let flags: string[] | null = null;
  let date: Date | null = null;
  if (c.peekIs('(')) {
    const list: string[] = [];
    c.list(() => list.push(c.flag()));
    flags = list;
    c.sp();
  }
  if (c.peekIs('"')) {
    date = parseDateTime(c);
    c.sp();
  }
  if (c.atLiteral()) {
    const lit = c.literalData();
    return { flags, date, data: { type: 'literal', data: lit.data, binary: lit.binary, utf8: false } };
  }
  const w = c.word();
  c.sp();
  if (w === 'CATENATE') return { flags, date, data: { type: 'catenate', parts: catenate(c) } };
  if (w === 'UTF8') {
    // RFC 6855 4: UTF8 (literal8)
    c.expect('(');
    const lit = c.literalData();
    if (!lit.binary) c.fail('UTF8 data must be a literal8');
    c.expect(')');
    return { flags, date, data: { type: 'literal', data: lit.data, binary: true, utf8: true } };
  }
  return c.fail('Expected message data');
}

export function parseAppend(c: Cursor): CommandBody {
  c.sp();
  const mailbox = c.astring();
  const messages: AppendMessage[] = [];
  while (c.trySp()) {
    c.count();
    messages.push(message(c));
  }
  if (!messages.length) c.fail('Expected message data');
  return { name: 'APPEND', mailbox, messages };
}
