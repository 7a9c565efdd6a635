import { StoreError, type AttachmentInfo, type MessageEnvelope, type MessageField, type MessageHeaderSummary, type MessageRecord, type MessageSummary, type MimePart } from '../../../domain/index.js';
import type { Collections } from '../collections.js';
import type { ContentDoc, MessageDoc } from '../documents.js';
import { toSegments } from './contents.js';

const CONTENT_FIELDS: ReadonlySet<MessageField> = new Set(['envelope', 'structure', 'content', 'header', 'attachments', 'snippet']);

/** The content documents some requested fields need (none for FETCH FLAGS), by id. */
export async function contentsFor(c: Collections, docs: MessageDoc[], fields: readonly MessageField[] | undefined): Promise<Map<string, ContentDoc>> {
  if (!fields?.some((f) => CONTENT_FIELDS.has(f)) || docs.length === 0) return new Map();
  const ids = [...new Set(docs.map((d) => d.contentId))];
  return new Map((await c.contents.find({ _id: { $in: ids } }).toArray()).map((x) => [x._id, x]));
}

export function toRecord(d: MessageDoc, fields: readonly MessageField[] | undefined, content: ContentDoc | undefined): MessageRecord {
  const rec: MessageRecord = {
    id: d._id,
    mailboxId: d.mailboxId,
    userId: d.userId,
    uid: d.uid,
    modseq: d.modseq,
    flags: [...d.flags],
    internalDate: d.internalDate,
    savedAt: d.savedAt,
    size: d.size,
    emailId: d.emailId,
    threadId: d.threadId,
  };
  for (const f of fields ?? []) {
    switch (f) {
      case 'sortKeys':
        rec.sortKeys = { ...d.sortKeys };
        break;
      case 'envelope':
        if (content) rec.envelope = content.envelope as MessageEnvelope;
        break;
      case 'structure':
        if (content) rec.structure = content.structure as MimePart;
        break;
      case 'header':
        if (content) rec.header = content.header as MessageHeaderSummary;
        break;
      case 'attachments':
        if (content) rec.attachments = content.attachments as AttachmentInfo[];
        break;
      case 'content':
        if (content) rec.content = toSegments(content.segments);
        break;
      case 'snippet':
        if (content) rec.snippet = content.snippet;
        break;
      default:
        break;
    }
  }
  return rec;
}

export function toSummary(d: MessageDoc, content: ContentDoc | undefined): MessageSummary {
  const h = content?.header as MessageHeaderSummary | undefined;
  return {
    id: d._id,
    mailboxId: d.mailboxId,
    uid: d.uid,
    flags: [...d.flags],
    internalDate: d.internalDate,
    size: d.size,
    subject: h?.subject ?? '',
    from: h?.from ?? '',
    to: h?.to ?? '',
    date: d.sortKeys.sentAt === null ? (h?.date ?? null) : new Date(d.sortKeys.sentAt),
    hasAttachments: d.hasAttachments,
    snippet: (content?.snippet ?? '').replace(/\s+/g, ' ').trim().slice(0, 200),
    threadId: d.threadId,
  };
}

/** Opaque page cursors: base64url JSON, validated on the way back in. */
export function encodeCursor(parts: Array<number | string>): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, shape: Array<'n' | 's'>): Array<number | string> | null {
  if (cursor == null || cursor === '') return null;
  try {
    const parts = JSON.parse(Buffer.from(String(cursor).slice(0, 200), 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parts) &&
      parts.length === shape.length &&
      parts.every((p, i) => (shape[i] === 'n' ? Number.isSafeInteger(p) : typeof p === 'string' && /^[0-9a-f]{24}$/.test(p)))
    ) {
      return parts as Array<number | string>;
    }
  } catch {
    // fall through
  }
  throw new StoreError('invalid', 'invalid cursor');
}

export function clampLimit(limit: number | undefined, dflt = 50, max = 1000): number {
  const n = Math.floor(Number(limit ?? dflt));
  return Number.isFinite(n) ? Math.min(Math.max(n, 1), max) : dflt;
}
