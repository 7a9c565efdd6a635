/**
 * FETCH data items (RFC 3501 6.4.5, RFC 9051 6.4.5) with BINARY (RFC 3516), CONDSTORE MODSEQ
 * (RFC 7162), OBJECTID (RFC 8474), SAVEDATE (RFC 8514), PREVIEW (RFC 8970) and Gmail's
 * X-GM-MSGID/X-GM-THRID. Each body item carries the label its answer is given under.
 */
import { Cursor } from './cursor.js';
import { ProtocolError } from './errors.js';
import type { PartialRange, SectionSpec } from './values.js';

export type SimpleFetchItem =
  | 'UID'
  | 'FLAGS'
  | 'INTERNALDATE'
  | 'RFC822.SIZE'
  | 'ENVELOPE'
  | 'BODYSTRUCTURE'
  /** Non-extensible BODYSTRUCTURE. */
  | 'BODY'
  | 'RFC822'
  | 'RFC822.HEADER'
  | 'RFC822.TEXT'
  | 'MODSEQ'
  | 'X-GM-MSGID'
  | 'X-GM-THRID'
  | 'X-GM-LABELS'
  | 'EMAILID'
  | 'THREADID'
  | 'SAVEDATE';

export type FetchItem =
  | { type: 'simple'; name: SimpleFetchItem }
  /** BODY[section]<partial> and BODY.PEEK[...]; `label` is the answer's name, e.g. `BODY[1.MIME]<0>`. */
  | { type: 'body'; peek: boolean; section: SectionSpec; partial: PartialRange | null; label: string }
  /** BINARY[part]<partial> and BINARY.PEEK (RFC 3516). */
  | { type: 'binary'; peek: boolean; part: number[]; partial: PartialRange | null; label: string }
  | { type: 'binary.size'; part: number[]; label: string }
  | { type: 'preview'; lazy: boolean };

const SIMPLE = new Set<string>([
  'UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT',
  'MODSEQ', 'X-GM-MSGID', 'X-GM-THRID', 'X-GM-LABELS', 'EMAILID', 'THREADID', 'SAVEDATE',
]);

/** RFC 3501 macros. */
const MACROS: Record<string, SimpleFetchItem[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

function itemName(c: Cursor): string {
  const name = c.name().toUpperCase();
  if (!name) c.fail('Expected a FETCH item');
  return name;
}

/** section-part: nz-number *("." nz-number); `dot` tells whether a "." before a section-text was consumed. */
function partNumbers(c: Cursor): { part: number[]; dot: boolean } {
  const part: number[] = [];
  while (c.peek() >= 0x30 && c.peek() <= 0x39) {
    part.push(c.nzNumber());
    if (part.length > c.options.maxDepth) throw new ProtocolError('Section part too deep', 'LIMIT');
    if (!c.tryChar('.')) return { part, dot: false };
    if (!(c.peek() >= 0x30 && c.peek() <= 0x39)) return { part, dot: true };
  }
  return { part, dot: false };
}

/** An atom when it is one, else a quoted string: how field names are echoed in the label. */
function echoName(name: string): string {
  return /^[\x21-\x7e]+$/.test(name) && !/[(){%*"\\\]]/.test(name) ? name : JSON.stringify(name);
}

/** section-spec inside `[...]`; returns the spec and its label text. */
function section(c: Cursor): { spec: SectionSpec; text: string } {
  const { part, dot } = partNumbers(c);
  let spec: SectionSpec = { part };
  let label = part.join('.');
  if (!dot) {
    if (part.length === 0 && c.peekIs(']')) return { spec, text: label };
    if (part.length > 0) {
      if (!c.peekIs(']')) c.fail('Invalid section');
      return { spec, text: label };
    }
  }
  const name = itemName(c);
  if (name === 'HEADER' || name === 'TEXT' || (name === 'MIME' && part.length > 0)) {
    spec = { part, text: name };
  } else if (name === 'HEADER.FIELDS' || name === 'HEADER.FIELDS.NOT') {
    c.sp();
    const fields: string[] = [];
    c.list(() => fields.push(c.astring().toString('latin1')), { nonEmpty: true });
    spec = { part, text: name, fields };
    return { spec, text: `${label ? label + '.' : ''}${name} (${fields.map(echoName).join(' ')})` };
  } else {
    c.fail('Invalid section');
  }
  label = `${label ? label + '.' : ''}${name}`;
  return { spec, text: label };
}

/** `<origin.count>` (the count must be non-zero); the answer is labelled `<origin>`. */
function partial(c: Cursor): PartialRange | null {
  if (!c.tryChar('<')) return null;
  const origin = c.number();
  c.expect('.');
  const count = c.nzNumber();
  c.expect('>');
  return { origin, count };
}

function item(c: Cursor, out: FetchItem[]): void {
  const name = itemName(c);
  const macro = MACROS[name];
  if (macro) {
    for (const m of macro) out.push({ type: 'simple', name: m });
    return;
  }
  if ((name === 'BODY' || name === 'BODY.PEEK') && c.peekIs('[')) {
    c.expect('[');
    const s = section(c);
    c.expect(']');
    const p = partial(c);
    out.push({ type: 'body', peek: name === 'BODY.PEEK', section: s.spec, partial: p, label: `BODY[${s.text}]${p ? `<${p.origin}>` : ''}` });
    return;
  }
  if (name === 'BINARY' || name === 'BINARY.PEEK' || name === 'BINARY.SIZE') {
    c.expect('[');
    const { part, dot } = partNumbers(c);
    if (dot) c.fail('Invalid section');
    c.expect(']');
    const text = part.join('.');
    if (name === 'BINARY.SIZE') {
      out.push({ type: 'binary.size', part, label: `BINARY.SIZE[${text}]` });
      return;
    }
    const p = partial(c);
    out.push({ type: 'binary', peek: name === 'BINARY.PEEK', part, partial: p, label: `BINARY[${text}]${p ? `<${p.origin}>` : ''}` });
    return;
  }
  if (name === 'PREVIEW') {
    // RFC 8970: PREVIEW [SP "(" "LAZY" ")"]
    let lazy = false;
    if (c.peekIs(' ') && !c.atEnd) {
      // Only a `(LAZY)` modifier may follow here; anything else is the next item.
      const save = c.mark();
      c.sp();
      if (c.peekIs('(')) {
        c.list(() => {
          if (c.word() !== 'LAZY') c.fail('Unknown PREVIEW modifier');
          lazy = true;
        });
      } else {
        c.rewind(save);
      }
    }
    out.push({ type: 'preview', lazy });
    return;
  }
  if (!SIMPLE.has(name)) c.fail(`Unknown FETCH item ${name.slice(0, 40)}`);
  out.push({ type: 'simple', name: name as SimpleFetchItem });
}

/** fetch-att / "(" fetch-att *(SP fetch-att) ")" / macro. */
export function parseFetchItems(c: Cursor): FetchItem[] {
  const out: FetchItem[] = [];
  if (c.peekIs('(')) {
    c.list(() => item(c, out), { nonEmpty: true });
  } else {
    item(c, out);
  }
  return out;
}

/** A section-spec written on its own (IMAP URL `;SECTION=`, RFC 5092), or null when invalid. */
export function parseSectionText(text: string): SectionSpec | null {
  const c = new Cursor({ tag: null, segments: [Buffer.from(text + ']', 'utf8')], literals: [] }, { maxDepth: 32, maxItems: 1000 });
  try {
    const s = section(c);
    c.expect(']');
    c.end();
    return s.spec;
  } catch (err) {
    if (err instanceof ProtocolError) return null;
    throw err;
  }
}
