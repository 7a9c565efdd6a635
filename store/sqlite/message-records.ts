import { deserialize } from 'node:v8';
import type { AttachmentInfo, MessageField, MessageHeaderSummary, MessageRecord, MessageSummary, MimeTree } from '../../domain/index.js';
import { StoreError } from '../../domain/index.js';
import { fromColumns } from './flags.js';

/** Columns every read needs; cheap (no MIME data). */
export const BASE_COLUMNS =
  'm.id, m.mailbox_id, m.user_id, m.uid, m.modseq, m.seen, m.answered, m.flagged, m.deleted, m.draft, m.keywords, m.internal_date, m.size, m.thread_id';

const CONTENT_COLUMN: Partial<Record<MessageField, string>> = {
  envelope: 'c.envelope',
  bodystructure: 'c.bodystructure',
  mimeTree: 'c.mime_tree',
  header: 'c.header',
  attachments: 'c.attachments',
  html: 'c.html',
};

/** SELECT list and JOINs for the requested heavy fields (none for FETCH FLAGS). */
export function fieldSql(fields: readonly MessageField[] | undefined): { columns: string; joins: string } {
  const wanted = new Set(fields ?? []);
  const cols = [BASE_COLUMNS];
  let content = false;
  for (const [field, col] of Object.entries(CONTENT_COLUMN) as Array<[MessageField, string]>) {
    if (wanted.has(field)) {
      cols.push(`${col} AS f_${field}`);
      content = true;
    }
  }
  let joins = content ? ' LEFT JOIN message_content c ON c.message_id = m.id' : '';
  if (wanted.has('text')) {
    cols.push('s.body AS f_text');
    joins += ' LEFT JOIN message_search s ON s.message_id = m.id';
  }
  return { columns: cols.join(', '), joins };
}

export interface MessageRow {
  id: number;
  mailbox_id: number;
  user_id: number;
  uid: number;
  modseq: number;
  seen: number;
  answered: number;
  flagged: number;
  deleted: number;
  draft: number;
  keywords: string | null;
  internal_date: number;
  size: number;
  thread_id: string | null;
  f_envelope?: Buffer | null;
  f_bodystructure?: Buffer | null;
  f_mimeTree?: Buffer | null;
  f_header?: Buffer | null;
  f_attachments?: string | null;
  f_html?: string | null;
  f_text?: string | null;
}

export function toRecord(r: MessageRow): MessageRecord {
  const rec: MessageRecord = {
    id: String(r.id),
    mailboxId: String(r.mailbox_id),
    userId: String(r.user_id),
    uid: r.uid,
    modseq: r.modseq,
    flags: fromColumns(r),
    internalDate: new Date(r.internal_date),
    size: r.size,
    threadId: r.thread_id,
  };
  if (r.f_envelope != null) rec.envelope = deserialize(r.f_envelope);
  if (r.f_bodystructure != null) rec.bodystructure = deserialize(r.f_bodystructure);
  if (r.f_mimeTree != null) rec.mimeTree = deserialize(r.f_mimeTree) as MimeTree;
  if (r.f_header != null) rec.header = deserialize(r.f_header) as MessageHeaderSummary;
  if (r.f_attachments != null) rec.attachments = JSON.parse(r.f_attachments) as AttachmentInfo[];
  if (r.f_html != null) rec.html = JSON.parse(r.f_html) as string[];
  if (r.f_text != null) rec.text = r.f_text;
  return rec;
}

export const SUMMARY_COLUMNS =
  `m.id, m.mailbox_id, m.uid, m.seen, m.answered, m.flagged, m.deleted, m.draft, m.keywords, m.internal_date, m.size,
   coalesce(s.subject, '') AS subject, coalesce(s.from_text, '') AS from_text, coalesce(s.to_text, '') AS to_text, m.sent_date, m.has_attachments, substr(s.body, 1, 400) AS snippet`;

export interface SummaryRow {
  id: number;
  mailbox_id: number;
  uid: number;
  seen: number;
  answered: number;
  flagged: number;
  deleted: number;
  draft: number;
  keywords: string | null;
  internal_date: number;
  size: number;
  subject: string;
  from_text: string;
  to_text: string;
  sent_date: number | null;
  has_attachments: number;
  snippet: string | null;
}

export function toSummary(r: SummaryRow): MessageSummary {
  return {
    id: String(r.id),
    mailboxId: String(r.mailbox_id),
    uid: r.uid,
    flags: fromColumns(r),
    internalDate: new Date(r.internal_date),
    size: r.size,
    subject: r.subject,
    from: r.from_text,
    to: r.to_text,
    date: r.sent_date === null ? null : new Date(r.sent_date),
    hasAttachments: r.has_attachments === 1,
    snippet: (r.snippet ?? '').replace(/\s+/g, ' ').trim().slice(0, 200),
  };
}

/** Opaque page cursors: base64url JSON, validated on the way back in. */
export function encodeCursor(parts: number[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, length: number): number[] | null {
  if (cursor == null || cursor === '') return null;
  try {
    const parts = JSON.parse(Buffer.from(String(cursor).slice(0, 200), 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === length && parts.every((n) => Number.isSafeInteger(n))) return parts as number[];
  } catch {
    // fall through
  }
  throw new StoreError('invalid', 'invalid cursor');
}
