import type { SqliteDb } from '../db.js';
import type { WriteEffects } from '../context.js';
import { cachedStatement } from '../context.js';
import { releaseBlobRefs } from '../blob-refs.js';

/**
 * Deletes the format-1 side rows (message_content, message_search and its FTS index through the
 * trigger, message_blobs with their blob references) of the messages `idSource` yields. Rows of
 * format 2 have none, so this costs an index probe each once the upgrade has run.
 */
export function releaseLegacyRows(db: SqliteDb, fx: WriteEffects, idSource: string, params: unknown[]): void {
  const legacy = db.prepare(`SELECT id FROM messages WHERE id IN (${idSource}) AND content_id IS NULL`).pluck().all(...params) as number[];
  if (legacy.length === 0) return;
  const list = JSON.stringify(legacy);
  releaseBlobRefs(db, fx, 'legacy', list);
  for (const table of ['message_search', 'message_content', 'message_blobs']) {
    cachedStatement(db, `DELETE FROM ${table} WHERE message_id IN (SELECT value FROM json_each(?))`).run(list);
  }
}

/** COPY of a format-1 row before its upgrade: its side rows are copied, as format 1 did. */
export function copyLegacyRows(db: SqliteDb, fromId: number, toId: number): void {
  cachedStatement(
    db,
    `INSERT INTO message_content (message_id, mime_tree, envelope, bodystructure, header, header_text, attachments, html)
     SELECT ?, mime_tree, envelope, bodystructure, header, header_text, attachments, html FROM message_content WHERE message_id = ?`,
  ).run(toId, fromId);
  cachedStatement(
    db,
    `INSERT INTO message_search (message_id, subject, from_text, to_text, cc_text, bcc_text, body, filenames)
     SELECT ?, subject, from_text, to_text, cc_text, bcc_text, body, filenames FROM message_search WHERE message_id = ?`,
  ).run(toId, fromId);
  cachedStatement(db, 'INSERT INTO message_blobs (message_id, blob_id) SELECT ?, blob_id FROM message_blobs WHERE message_id = ?').run(toId, fromId);
  cachedStatement(
    db,
    `UPDATE blobs SET refcount = refcount + d.c
     FROM (SELECT blob_id, count(*) AS c FROM message_blobs WHERE message_id = ? GROUP BY blob_id) AS d
     WHERE blobs.id = d.blob_id`,
  ).run(toId);
}
