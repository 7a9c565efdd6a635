import type { Readable } from 'node:stream';
import type { Id } from '../domain/ids.js';
import type { MessageHeaderSummary, MimePart } from '../domain/message.js';
import { decodePart, extractBodies, walkParts } from '../mail/mime/index.js';
import type { ApiDeps } from './deps.js';

/**
 * What the API's message routes (detail, frame, drafts, downloads) need of a stored message: its
 * text, its HTML and its attachments decoded, read from the stored bytes through mail/mime. One
 * place that knows how bodies are kept, so the routes stay the same when the format changes.
 */
export interface MessageContent {
  id: Id;
  mailboxId: Id;
  uid: number;
  header: MessageHeaderSummary;
  text: string;
  /** The text/html parts joined, unsanitised: callers sanitise for their context. */
  html: string;
  attachments: Array<{ filename: string; contentType: string; size: number; contentId?: string }>;
}

export interface AttachmentContent {
  filename: string;
  contentType: string;
  stream: Readable;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The user's message, or null for unknown ids and other users' messages. */
export async function readMessageContent(deps: ApiDeps, userId: Id, id: string): Promise<MessageContent | null> {
  if (!ID.test(id)) return null;
  const m = await deps.mail.getMessageById(userId, id, ['header', 'attachments', 'structure', 'content']);
  if (!m || m.userId !== userId || !m.header || !m.content || !m.structure) return null;
  const bodies = await extractBodies({ content: m.content, structure: m.structure, attachments: m.attachments ?? [] }, deps.blobs);
  return {
    id,
    mailboxId: m.mailboxId,
    uid: m.uid,
    header: m.header,
    text: bodies.text,
    html: bodies.html.join('\n'),
    attachments: bodies.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size, ...(a.contentId ? { contentId: a.contentId } : {}) })),
  };
}

function partByNumber(root: MimePart, number: string): MimePart | null {
  for (const p of walkParts(root)) if (p.number === number) return p.part;
  return null;
}

/** Attachment `index` (its place in the attachment list) of the user's message, decoded (base64, quoted-printable), or null. */
export async function openAttachment(deps: ApiDeps, userId: Id, id: string, index: number): Promise<AttachmentContent | null> {
  if (!ID.test(id)) return null;
  const m = await deps.mail.getMessageById(userId, id, ['attachments', 'structure', 'content']);
  const a = m && m.userId === userId ? m.attachments?.[index] : undefined;
  const part = a && m?.structure ? partByNumber(m.structure, a.part) : null;
  if (!a || !part || !m?.content) return null;
  // RFC 2045 6.1: an unknown transfer encoding is served as stored rather than refused.
  let stream: Readable;
  try {
    stream = decodePart(m.content, deps.blobs, part);
  } catch {
    stream = decodePart(m.content, deps.blobs, { ...part, encoding: null });
  }
  return { filename: a.filename, contentType: a.contentType, stream };
}
