import { deserialize } from 'node:v8';
import type { AttachmentInfo, MessageField, MessageHeaderSummary, MessageRecord, MessageSummary, MimeTree } from '../../domain/index.js';
import { StoreError } from '../../domain/index.js';
import { fromColumns, type FlagColumns } from './flags.js';

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

/**
 * SELECT list and JOINs for the requested heavy fields (none for FETCH FLAGS). `extra` lists the
 * heavy fields in the order their columns follow the base columns (for raw array rows).
 */
export function fieldSql(fields: readonly MessageField[] | undefined): { columns: string; joins: string; extra: MessageField[] } {
  const wanted = new Set(fields ?? []);
  const cols = [BASE_COLUMNS];
  const extra: MessageField[] = [];
  let content = false;
  for (const [field, col] of Object.entries(CONTENT_COLUMN) as Array<[MessageField, string]>) {
    if (wanted.has(field)) {
      cols.push(`${col} AS f_${field}`);
      extra.push(field);
      content = true;
    }
  }
  let joins = content ? ' LEFT JOIN message_content c ON c.message_id = m.id' : '';
  if (wanted.has('text')) {
    cols.push('s.body AS f_text');
    extra.push('text');
    joins += ' LEFT JOIN message_search s ON s.message_id = m.id';
  }
  return { columns: cols.join(', '), joins, extra };
}

const BASE_COUNT = 14;

/**
 * Array rows (better-sqlite3 raw mode) skip building a keyed object per row: about twice as
 * fast for FETCH FLAGS over a large mailbox. Positions follow BASE_COLUMNS.
 */
export function rawToRecord(r: unknown[], extra: readonly MessageField[]): MessageRecord {
  const flags: string[] = [];
  if (r[5]) flags.push('\\Seen');
  if (r[6]) flags.push('\\Answered');
  if (r[7]) flags.push('\\Flagged');
  if (r[8]) flags.push('\\Deleted');
  if (r[9]) flags.push('\\Draft');
  if (r[10]) flags.push(...(JSON.parse(r[10] as string) as string[]));
  const rec: MessageRecord = {
    id: String(r[0]),
    mailboxId: String(r[1]),
    userId: String(r[2]),
    uid: r[3] as number,
    modseq: r[4] as number,
    flags,
    internalDate: new Date(r[11] as number),
    size: r[12] as number,
    threadId: (r[13] as string | null) ?? null,
  };
  for (let i = 0; i < extra.length; i++) {
    const v = r[BASE_COUNT + i];
    if (v == null) continue;
    switch (extra[i]) {
      case 'envelope':
        rec.envelope = deserialize(v as Buffer);
        break;
      case 'bodystructure':
        rec.bodystructure = deserialize(v as Buffer);
        break;
      case 'mimeTree':
        rec.mimeTree = deserialize(v as Buffer) as MimeTree;
        break;
      case 'header':
        rec.header = deserialize(v as Buffer) as MessageHeaderSummary;
        break;
      case 'attachments':
        rec.attachments = JSON.parse(v as string) as AttachmentInfo[];
        break;
      case 'html':
        rec.html = JSON.parse(v as string) as string[];
        break;
      case 'text':
        rec.text = v as string;
        break;
      default:
        break;
    }
  }
  return rec;
}

/** Flag columns as stored (flags.ts), plus the row's own. */
export interface MessageRow extends FlagColumns {
  id: number;
  mailbox_id: number;
  user_id: number;
  uid: number;
  modseq: number;
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

export interface SummaryRow extends FlagColumns {
  id: number;
  mailbox_id: number;
  uid: number;
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
