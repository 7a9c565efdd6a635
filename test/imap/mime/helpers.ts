import { Encoder } from '../../../imap/protocol/encoder.js';
import type { ImapLiteral, ImapValue, PartialRange, SectionSpec } from '../../../imap/protocol/values.js';
import { bodySectionLiteral, binarySectionLiteral, binarySize, type FetchableMessage } from '../../../imap/mime/index.js';
import { prepareMessage, type PrepareOptions } from '../../../mail/mime/index.js';
import { createMemoryBlobStore } from '../../helpers/memory-blobs.js';
import type { Readable } from 'node:stream';

/** An ImapValue as the real response encoder writes it (literals inlined as `{n}\r\n` + bytes). */
export function wire(v: ImapValue): string {
  return new Encoder({ utf8: false })
    .value(v)
    .finish()
    .map((p) => (typeof p === 'string' ? p : Buffer.isBuffer(p) ? p.toString('latin1') : `<stream ${p.length}>`))
    .join('')
    .replace(/\r\n$/, '');
}

/** Atoms and copied header values may differ in case between servers; compare case-insensitively. */
export function sameWire(actual: ImapValue, expected: string): boolean {
  return wire(actual).toLowerCase() === expected.toLowerCase();
}

/** A message prepared and stored the way the store will hold it (blobs included when large). */
export async function stored(raw: Buffer, opts: PrepareOptions = {}): Promise<FetchableMessage & { size: number }> {
  const blobs = createMemoryBlobStore();
  const p = await prepareMessage(raw, blobs, opts);
  // What a backend gives back: a deep copy of the structure, inline bytes as fresh Buffers.
  const content = p.content.map((s) => ('data' in s ? { data: Buffer.from(s.data) } : { ...s }));
  return { structure: structuredClone(p.structure), content, blobs, size: p.size };
}

export async function literalBytes(l: ImapLiteral): Promise<Buffer> {
  if (Buffer.isBuffer(l.literal)) return l.literal;
  const chunks: Buffer[] = [];
  for await (const c of l.literal.open() as Readable) chunks.push(c as Buffer);
  const out = Buffer.concat(chunks);
  if (out.length !== l.literal.length) throw new Error(`literal promised ${l.literal.length} bytes, gave ${out.length}`);
  return out;
}

/** BODY[section]<partial> bytes as latin1 text. */
export async function body(msg: FetchableMessage, section: string, partial: PartialRange | null = null): Promise<string> {
  return (await literalBytes(await bodySectionLiteral(msg, parseSection(section), partial))).toString('latin1');
}

export async function binary(msg: FetchableMessage, part: string, partial: PartialRange | null = null): Promise<{ text: string; literal8: boolean } | { error: string }> {
  const l = await binarySectionLiteral(msg, part === '' ? [] : part.split('.').map(Number), partial);
  if ('error' in l) return l;
  return { text: (await literalBytes(l)).toString('latin1'), literal8: !!l.binary };
}

export async function binarySizeOf(msg: FetchableMessage, part: string) {
  return binarySize(msg, part === '' ? [] : part.split('.').map(Number));
}

/** A section spec from its IMAP text ("2.HEADER.FIELDS (from subject)"), as the FETCH parser gives it. */
export function parseSection(text: string): SectionSpec {
  const m = /^([0-9.]*?)\.?(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME)?(?: \(([^)]*)\))?$/i.exec(text.trim());
  if (!m) throw new Error(`bad section ${text}`);
  const spec: SectionSpec = { part: m[1] ? m[1].split('.').filter(Boolean).map(Number) : [] };
  if (m[2]) spec.text = m[2].toUpperCase() as SectionSpec['text'];
  if (m[3] !== undefined) spec.fields = m[3].split(/\s+/).filter(Boolean);
  return spec;
}

/** Text written with LF in a test, as the CRLF a message or response holds. */
export const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
