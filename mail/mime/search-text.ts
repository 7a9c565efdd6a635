import type { MessageTextExtractor, MimePart } from '../../domain/index.js';
import { parseAddressList } from './address.js';
import { partText } from './body-text.js';
import { decodeEncodedWords } from './encoded-words.js';
import { splitHeader, type HeaderField } from './header-block.js';
import { displayAddresses } from './header-summary.js';
import { fileName } from './attachments.js';
import { pushReversed, subParts, topParts, walkParts, type NumberedPart } from './part-walk.js';

/**
 * What SEARCH and the API's search index read (RFC 3501 6.4.4 is substring search on decoded
 * text): every header field as a `Name: value` line, unfolded and RFC 2047 decoded, with address
 * fields also written in their normalised form (`Name <mailbox@host>`, comments dropped) so FROM
 * finds `user@host` in `<user (x)@ (y) host>`; the decoded text of the text/* parts (one
 * alternative per multipart/alternative) and the header lines of encapsulated messages;
 * attachment file names. Each is capped.
 */
export interface SearchCaps {
  headers: number;
  body: number;
  filenames: number;
  /** Encoded bytes of one part read for its text. */
  partBytes: number;
}

export const DEFAULT_SEARCH_CAPS: SearchCaps = { headers: 128 * 1024, body: 256 * 1024, filenames: 16 * 1024, partBytes: 4 * 1024 * 1024 };

const ADDRESS_FIELDS = new Set(['from', 'to', 'cc', 'bcc', 'sender', 'reply-to', 'resent-from', 'resent-to', 'resent-cc', 'resent-bcc', 'resent-sender']);

/** A capped text builder: appending past the cap is a no-op, so the work stays bounded. */
class Capped {
  parts: string[] = [];
  length = 0;
  constructor(readonly cap: number) {}
  get full(): boolean {
    return this.length >= this.cap;
  }
  add(s: string): void {
    if (this.full || s === '') return;
    const piece = s.length > this.cap - this.length ? s.slice(0, this.cap - this.length) : s;
    this.parts.push(piece);
    this.length += piece.length + 1;
  }
  toString(): string {
    return this.parts.join('\n');
  }
}

function headerSearchLines(fields: readonly HeaderField[], out: Capped): void {
  for (const f of fields) {
    if (out.full) return;
    if (f.name === '') continue;
    // Read no more of a huge field than the cap can hold.
    const raw = f.raw.length > out.cap ? f.raw.subarray(0, out.cap) : f.raw;
    const value = raw.toString('utf8').replace(/[\r\n]+(?=[ \t])/g, '').trim();
    const decoded = decodeEncodedWords(value);
    out.add(`${f.name}: ${decoded}`);
    if (ADDRESS_FIELDS.has(f.key)) {
      const list = parseAddressList(value);
      const normal = displayAddresses(list);
      const groups = list.filter((a) => a.group === 'start').map((a) => a.name ?? '');
      const extra = [normal, ...groups].filter((s) => s !== '').join(', ');
      if (extra !== '' && extra !== decoded) out.add(`${f.name}: ${extra}`);
    }
  }
}

export interface SearchText {
  headers: string;
  body: string;
  filenames: string;
}

/** Reads bytes [start, end) of the message. */
export type RangeReader = (start: number, end: number) => Buffer;

/**
 * The parts whose text is indexed, in order: every part, except that of a multipart/alternative
 * only one alternative is read (the text/plain one, else the last, richest one), so the same
 * words are not indexed twice.
 */
function* searchedParts(root: MimePart): Generator<MimePart> {
  const stack: NumberedPart[] = oneAlternative(root, topParts(root)).reverse();
  while (stack.length > 0) {
    const np = stack.pop()!;
    yield np.part;
    // The multipart whose children subParts lists: the part itself, or an encapsulated message's root.
    const container = np.part.children ? np.part : np.part.message?.part;
    pushReversed(stack, oneAlternative(container, subParts(np)));
  }
}

function oneAlternative(container: MimePart | undefined, children: NumberedPart[]): NumberedPart[] {
  if (!container?.children || container.subtype.toLowerCase() !== 'alternative' || children.length < 2) return children;
  const plain = children.find((c) => !c.part.children && c.part.type.toLowerCase() === 'text' && c.part.subtype.toLowerCase() === 'plain');
  return [plain ?? children.at(-1)!];
}

/** The byte ranges buildSearchText reads (so an async caller can fetch them first). */
export function searchRanges(root: MimePart, caps: SearchCaps = DEFAULT_SEARCH_CAPS, want = { body: true }): Array<[number, number]> {
  const ranges: Array<[number, number]> = [[0, root.bodyStart]];
  if (!want.body) return ranges;
  for (const part of searchedParts(root)) {
    if (part.message) ranges.push([part.message.part.headerStart, part.message.part.bodyStart]);
    if (isTextLeaf(part)) ranges.push([part.bodyStart, Math.min(part.bodyEnd, part.bodyStart + caps.partBytes)]);
  }
  return ranges;
}

function isTextLeaf(part: MimePart): boolean {
  return !part.children && !part.message && part.type.toLowerCase() === 'text';
}

/** Builds the search text, reading exactly the ranges `searchRanges` lists. */
export function buildSearchText(
  read: RangeReader,
  root: MimePart,
  caps: SearchCaps = DEFAULT_SEARCH_CAPS,
  want = { body: true },
  /** Told the text of each text part decoded (the snippet reuses it). */
  onPartText?: (part: MimePart, text: string) => void,
): SearchText {
  const headers = new Capped(caps.headers);
  headerSearchLines(splitHeader(read(0, root.bodyStart), { maxFields: HEADER_FIELDS }).fields, headers);
  const body = new Capped(caps.body);
  if (want.body) {
    for (const part of searchedParts(root)) {
      if (body.full) break;
      if (part.message) {
        const inner = part.message.part;
        headerSearchLines(splitHeader(read(inner.headerStart, inner.bodyStart), { maxFields: HEADER_FIELDS }).fields, body);
      }
      if (isTextLeaf(part)) {
        const text = partText(part, read(part.bodyStart, Math.min(part.bodyEnd, part.bodyStart + caps.partBytes)));
        onPartText?.(part, text);
        body.add(text);
      }
    }
  }
  const names = new Capped(caps.filenames);
  for (const { part } of walkParts(root)) {
    const name = part.children ? null : fileName(part);
    if (name) names.add(name);
  }
  return { headers: headers.toString(), body: body.toString(), filenames: names.toString() };
}

/** Header fields of one block that go into the search text. */
const HEADER_FIELDS = 10_000;

/**
 * The store's MessageTextExtractor (domain/message-text.ts): the same text prepareMessage
 * computed (given the same caps), re-derived from a stored message by reading only the ranges
 * it needs.
 */
export function createSearchTextExtractor(caps: Partial<SearchCaps> = {}): MessageTextExtractor {
  const c = { ...DEFAULT_SEARCH_CAPS, ...caps };
  return async (message, want) => {
    const ranges = searchRanges(message.structure, c, want);
    const got = new Map<string, Buffer>();
    for (const [a, b] of ranges) if (!got.has(`${a}:${b}`)) got.set(`${a}:${b}`, await message.read(a, b));
    const read: RangeReader = (a, b) => got.get(`${a}:${b}`) ?? Buffer.alloc(0);
    const text = buildSearchText(read, message.structure, c, want);
    return { headers: text.headers, body: text.body };
  };
}
