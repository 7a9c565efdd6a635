import { deserialize } from 'node:v8';
import { StoreError } from '../../../domain/index.js';
import type { LegacyMessage, LegacyMessages, MessageField, MessageHeaderSummary, MessageRecord } from '../../../domain/index.js';
import { cachedStatement, parseId, runWrite } from '../context.js';
import type { StoreContext } from '../context.js';
import type { SqliteDb } from '../db.js';
import { insertContent } from '../contents.js';
import { prepareContent } from '../prepare-content.js';
import { referencedIds } from '../message-rows.js';
import { legacySegments } from './legacy-segments.js';
import { releaseLegacyRows } from './legacy-rows.js';

interface LegacyRow {
  id: number;
  user_id: number;
  size: number;
  mime_tree: Buffer | null;
}

function segmentsOf(row: { mime_tree: Buffer | null }): LegacyMessage['content'] {
  if (!row.mime_tree) return [];
  return legacySegments(deserialize(row.mime_tree) as Record<string, unknown>);
}

/**
 * What a format-1 row can still answer before its upgrade: its bytes (rebuilt from the old MIME
 * tree) and its header summary (same shape as today's). ENVELOPE and structure are left out:
 * the upgrade at start computes them from the bytes.
 */
export function legacyFields(db: SqliteDb, rowId: number, fields: readonly MessageField[]): Partial<MessageRecord> {
  const row = cachedStatement(db, 'SELECT mime_tree, header FROM message_content WHERE message_id = ?').get(rowId) as
    | { mime_tree: Buffer; header: Buffer }
    | undefined;
  if (!row) return {};
  const out: Partial<MessageRecord> = {};
  if (fields.includes('content')) out.content = segmentsOf(row);
  if (fields.includes('header')) out.header = deserialize(row.header) as MessageHeaderSummary;
  return out;
}

export function createLegacyMessages(ctx: StoreContext): LegacyMessages {
  const { db } = ctx;
  return {
    async count() {
      return cachedStatement(db, 'SELECT count(*) FROM messages WHERE content_id IS NULL').pluck().get() as number;
    },

    async list(limit, afterId) {
      const after = afterId === undefined ? 0 : (parseId(afterId) ?? 0);
      const n = Math.min(Math.max(Math.floor(Number(limit)) || 1, 1), 1000);
      const rows = cachedStatement(
        db,
        `SELECT m.id, m.user_id, m.size, c.mime_tree FROM messages m LEFT JOIN message_content c ON c.message_id = m.id
         WHERE m.content_id IS NULL AND m.id > ? ORDER BY m.id LIMIT ?`,
      ).all(after, n) as LegacyRow[];
      return rows.map((r) => ({ messageId: String(r.id), userId: String(r.user_id), size: r.size, content: segmentsOf(r) }));
    },

    async rewrite(messageId, message) {
      const id = parseId(messageId);
      if (id === null) throw new StoreError('not_found', 'message not found');
      const input = await prepareContent(message);
      await runWrite(ctx, (fx) => {
        const row = cachedStatement(db, 'SELECT user_id, size, content_id FROM messages WHERE id = ?').get(id) as
          | { user_id: number; size: number; content_id: number | null }
          | undefined;
        if (!row) throw new StoreError('not_found', 'message not found');
        if (row.content_id !== null) return;
        // New references first: a blob both forms share never drops to zero in between.
        const contentId = insertContent(db, fx, ctx.vocabulary, input);
        releaseLegacyRows(db, fx, 'SELECT ?', [id]);
        const k = message.sortKeys;
        const refs = referencedIds(message);
        // Same UID, flags, dates and thread: a client sees the same message (its bytes are the
        // old ones, re-parsed), so no MODSEQ and no journal entry.
        cachedStatement(
          db,
          `UPDATE messages SET content_id = ?, size = ?, message_id_header = ?, sent_at = ?, sent_day = ?, has_attachments = ?,
             base_subject = ?, subject_is_reply = ?, sort_from = ?, sort_to = ?, sort_cc = ?, display_from = ?, display_to = ?, refs = ?
           WHERE id = ?`,
        ).run(
          contentId,
          message.size,
          message.header.messageId ? message.header.messageId.slice(0, 998) : null,
          Number.isFinite(k.sentAt) ? k.sentAt : null,
          Number.isSafeInteger(k.sentDay) ? k.sentDay : null,
          message.attachments.length > 0 ? 1 : 0,
          k.baseSubject.slice(0, 1000),
          k.subjectIsReply ? 1 : 0,
          k.from.slice(0, 320),
          k.to.slice(0, 320),
          k.cc.slice(0, 320),
          k.displayFrom.slice(0, 320),
          k.displayTo.slice(0, 320),
          refs.length > 0 ? JSON.stringify(refs) : null,
          id,
        );
        if (message.size !== row.size) {
          cachedStatement(db, 'UPDATE users SET storage_used = max(0, storage_used + ?) WHERE id = ?').run(message.size - row.size, row.user_id);
        }
      });
    },
  };
}
