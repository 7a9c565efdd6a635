import type { AttachmentInfo, BlobStore, ContentSegment, MimePart } from '../../domain/index.js';
import { listAttachments } from './attachments.js';
import { partHtml, partText, readableTextParts } from './body-text.js';
import { readBytes } from './read-content.js';

export interface MessageBodies {
  /** The plain text bodies a reader sees, joined (HTML-only messages: the HTML as text). */
  text: string;
  /** The HTML bodies, decoded, unsanitised (the API sanitises before serving). */
  html: string[];
  attachments: AttachmentInfo[];
}

export interface ExtractOptions {
  maxTextLength?: number;
  maxHtmlLength?: number;
}

/**
 * The bodies of a stored message for the API's message view: the text/plain and text/html parts
 * that are not attachments and not inside an encapsulated message. Within multipart/alternative,
 * the plain alternative gives the text and the HTML one the HTML.
 */
export async function extractBodies(
  record: { content: readonly ContentSegment[]; structure: MimePart; attachments?: AttachmentInfo[] },
  blobs: BlobStore,
  opts: ExtractOptions = {},
): Promise<MessageBodies> {
  const maxText = opts.maxTextLength ?? 1024 * 1024;
  const maxHtml = opts.maxHtmlLength ?? 1024 * 1024;
  const parts = readableTextParts(record.structure);
  const plain = parts.filter((p) => p.subtype.toLowerCase() === 'plain');
  const html = parts.filter((p) => p.subtype.toLowerCase() === 'html');
  // Encoded bytes read per part: enough for the character caps even as base64 of 4-byte UTF-8.
  const read = (p: MimePart, cap: number) => readBytes(record.content, blobs, { start: p.bodyStart, end: p.bodyEnd }, cap * 6);
  /** The decoded bodies of `list`, in order, together at most `cap` characters. */
  const decodeAll = async (list: MimePart[], cap: number, decode: (p: MimePart, bytes: Buffer) => string) => {
    const out: string[] = [];
    let used = 0;
    for (const p of list) {
      if (used >= cap) break;
      const t = decode(p, await read(p, cap));
      out.push(t.slice(0, cap - used));
      used += t.length;
    }
    return out;
  };
  const htmls = await decodeAll(html, maxHtml, partHtml);
  // HTML-only mail: its text is the HTML as readable text.
  const texts = plain.length > 0 ? await decodeAll(plain, maxText, (p, b) => partText(p, b)) : await decodeAll(html, maxText, (p, b) => partText(p, b, { html: 'view' }));
  return {
    text: texts.join('\n'),
    html: htmls,
    attachments: record.attachments ?? listAttachments(record.structure, () => null),
  };
}
