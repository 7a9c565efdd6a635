import type { AttachmentInfo, MessageEnvelope, MessageField, MessageRecord, MessageSummary, SortKeys } from '../../domain/index.js';
import { StoreError } from '../../domain/index.js';
import { decodeContent } from './content-codec.js';
import { decodeEnvelope, decodeHeader, decodeStructure } from './compact-json.js';
import type { SqliteDb } from './db.js';
import { fromColumns, type FlagColumns } from './flags.js';
import { legacyFields } from './legacy/legacy-messages.js';

/** Columns every read needs; cheap (no message data). Positions are used by rawToRecord. */
export const BASE_COLUMNS =
  'm.id, m.mailbox_id, m.user_id, m.uid, m.modseq, m.seen, m.answered, m.flagged, m.deleted, m.draft, m.keywords, m.internal_date, m.size, m.thread_id, m.saved_at, m.content_id';
const BASE_COUNT = 16;

const SORT_COLUMNS = 'm.base_subject, m.subject_is_reply, m.sort_from, m.sort_to, m.sort_cc, m.display_from, m.display_to, m.sent_at, m.sent_day';

interface FieldSql {
  columns: string;
  /** Which table it reads: contents (c), content_bytes (b) or the message row itself. */
  table: 'c' | 'b' | 'm';
  width: number;
}

const FIELD_SQL: Partial<Record<MessageField, FieldSql>> = {
  envelope: { columns: 'c.envelope', table: 'c', width: 1 },
  structure: { columns: 'c.structure', table: 'c', width: 1 },
  header: { columns: 'c.header, c.envelope', table: 'c', width: 2 },
  attachments: { columns: 'c.attachments', table: 'c', width: 1 },
  content: { columns: 'b.head, b.body, c.layout, c.packing', table: 'b', width: 4 },
  sortKeys: { columns: SORT_COLUMNS, table: 'm', width: 9 },
  snippet: { columns: 'c.snippet', table: 'c', width: 1 },
};

export function emptyEnvelope(): MessageEnvelope {
  return { date: null, subject: null, from: null, sender: null, replyTo: null, to: null, cc: null, bcc: null, inReplyTo: null, messageId: null };
}

/** A legacy row (format 1, before its upgrade) has no EMAILID yet: a stable stand-in, far above real ones. */
export function legacyEmailId(rowId: number): string {
  return String(Number.MAX_SAFE_INTEGER - rowId);
}

/**
 * SELECT list and JOINs for the requested fields (none for FETCH FLAGS). `extra` lists the
 * heavy fields in the order their columns follow the base columns (for raw array rows).
 */
export function fieldSql(fields: readonly MessageField[] | undefined): { columns: string; joins: string; extra: MessageField[] } {
  const wanted = new Set(fields ?? []);
  const cols = [BASE_COLUMNS];
  const extra: MessageField[] = [];
  let contents = false;
  let bytes = false;
  for (const [field, sql] of Object.entries(FIELD_SQL) as Array<[MessageField, FieldSql]>) {
    if (!wanted.has(field)) continue;
    cols.push(sql.columns);
    extra.push(field);
    if (sql.table !== 'm') contents = true;
    if (sql.table === 'b') bytes = true;
  }
  let joins = contents ? ' LEFT JOIN contents c ON c.id = m.content_id' : '';
  if (bytes) joins += ' LEFT JOIN content_bytes b ON b.content_id = m.content_id';
  return { columns: cols.join(', '), joins, extra };
}


function sortKeysOf(r: unknown[], at: number): SortKeys {
  return {
    baseSubject: (r[at] as string | null) ?? '',
    subjectIsReply: r[at + 1] === 1,
    from: (r[at + 2] as string | null) ?? '',
    to: (r[at + 3] as string | null) ?? '',
    cc: (r[at + 4] as string | null) ?? '',
    displayFrom: (r[at + 5] as string | null) ?? '',
    displayTo: (r[at + 6] as string | null) ?? '',
    sentAt: (r[at + 7] as number | null) ?? null,
    sentDay: (r[at + 8] as number | null) ?? null,
  };
}

/**
 * Array rows (better-sqlite3 raw mode) skip building a keyed object per row: about twice as
 * fast for FETCH FLAGS over a large mailbox. Positions follow BASE_COLUMNS then `extra`.
 */
export function rawToRecord(db: SqliteDb, r: unknown[], extra: readonly MessageField[]): MessageRecord {
  const flags: string[] = [];
  if (r[5]) flags.push('\\Seen');
  if (r[6]) flags.push('\\Answered');
  if (r[7]) flags.push('\\Flagged');
  if (r[8]) flags.push('\\Deleted');
  if (r[9]) flags.push('\\Draft');
  if (r[10]) flags.push(...(JSON.parse(r[10] as string) as string[]));
  const contentId = r[15] as number | null;
  const rec: MessageRecord = {
    id: String(r[0]),
    mailboxId: String(r[1]),
    userId: String(r[2]),
    uid: r[3] as number,
    modseq: r[4] as number,
    flags,
    internalDate: new Date(r[11] as number),
    savedAt: new Date((r[14] as number | null) ?? (r[11] as number)),
    size: r[12] as number,
    emailId: contentId === null ? legacyEmailId(r[0] as number) : String(contentId),
    threadId: (r[13] as string | null) ?? String(contentId),
  };
  let at = BASE_COUNT;
  for (const field of extra) {
    const width = FIELD_SQL[field]!.width;
    const v = r[at];
    if (field === 'sortKeys') rec.sortKeys = sortKeysOf(r, at);
    else if (v != null) {
      switch (field) {
        case 'envelope':
          rec.envelope = decodeEnvelope(v as string) ?? emptyEnvelope();
          break;
        case 'structure':
          rec.structure = decodeStructure(v as string);
          break;
        case 'header':
          rec.header = decodeHeader(v as string, decodeEnvelope(r[at + 1] as string));
          break;
        case 'attachments':
          rec.attachments = JSON.parse(v as string) as AttachmentInfo[];
          break;
        case 'snippet':
          rec.snippet = v as string;
          break;
        case 'content':
          rec.content = decodeContent(v as Buffer, r[at + 1] as Buffer, r[at + 2] as string | null, r[at + 3] as number);
          break;
        default:
          break;
      }
    } else if (field === 'attachments' && contentId !== null) {
      rec.attachments = [];
    }
    at += width;
  }
  if (contentId === null && extra.length > 0) Object.assign(rec, legacyFields(db, r[0] as number, extra));
  return rec;
}

export const SUMMARY_COLUMNS = `m.id, m.mailbox_id, m.uid, m.seen, m.answered, m.flagged, m.deleted, m.draft, m.keywords, m.internal_date, m.size,
   m.sent_at, m.has_attachments, m.thread_id, m.content_id, c.header, c.envelope, c.snippet`;
/** contents for the display fields; legacy rows have none until upgraded (their summary is thin). */
export const SUMMARY_JOIN = ' LEFT JOIN contents c ON c.id = m.content_id';

export interface SummaryRow extends FlagColumns {
  id: number;
  mailbox_id: number;
  uid: number;
  internal_date: number;
  size: number;
  sent_at: number | null;
  has_attachments: number;
  thread_id: string | null;
  content_id: number | null;
  header: string | null;
  envelope: string | null;
  snippet: string | null;
}

export function toSummary(r: SummaryRow): MessageSummary {
  const h = r.header ? decodeHeader(r.header, r.envelope ? decodeEnvelope(r.envelope) : null) : null;
  return {
    id: String(r.id),
    mailboxId: String(r.mailbox_id),
    uid: r.uid,
    flags: fromColumns(r),
    internalDate: new Date(r.internal_date),
    size: r.size,
    subject: h?.subject ?? '',
    from: h?.from ?? '',
    to: h?.to ?? '',
    date: r.sent_at === null ? (h?.date ?? null) : new Date(r.sent_at),
    hasAttachments: r.has_attachments === 1,
    snippet: (r.snippet ?? '').replace(/\s+/g, ' ').trim().slice(0, 200),
    threadId: r.thread_id ?? String(r.content_id ?? ''),
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
