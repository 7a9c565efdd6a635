import type { PreparedMessage } from '../../domain/index.js';
import type { SqliteDb } from './db.js';
import type { WriteEffects } from './context.js';
import { cachedStatement } from './context.js';
import { releaseBlobRefs } from './blob-refs.js';
import type { EncodedContent } from './content-codec.js';
import { encodeEnvelope, encodeHeader, encodeStructure } from './compact-json.js';
import { indexContent, unindexContents } from './search/index-text.js';
import type { FieldValues } from '../search/message-fields.js';
import { insertContentFields } from './search/content-fields.js';
import type { Vocabulary } from './search/vocabulary.js';

/** What insertContent needs besides the message: its bytes already encoded (outside the transaction). */
export interface ContentInput {
  message: PreparedMessage;
  encoded: EncodedContent;
  /** Full-text columns and their folded tokens (search/index-text.ts), computed outside the transaction too. */
  fields: FieldValues;
  tokens: string[];
}

/**
 * Stores one delivered message's content (bytes, JSON parts, full-text index, blob references)
 * and returns its id, the EMAILID every copy of it shares. Blobs referenced for the first time
 * go to fx.newBlobs (checked after commit).
 */
export function insertContent(db: SqliteDb, fx: WriteEffects, vocabulary: Vocabulary, input: ContentInput): number {
  const m = input.message;
  const filenames = m.search?.filenames ?? '';
  const id = cachedStatement(
    db,
    `INSERT INTO contents (size, layout, packing, envelope, header, structure, attachments, filenames, snippet)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  )
    .pluck()
    .get(
      m.size,
      input.encoded.layout,
      input.encoded.packing,
      encodeEnvelope(m.envelope),
      encodeHeader(m.header, m.envelope),
      encodeStructure(m.structure),
      m.attachments.length > 0 ? JSON.stringify(m.attachments) : null,
      filenames === '' ? null : filenames,
      String(m.snippet ?? '').slice(0, 400),
    ) as number;
  cachedStatement(db, 'INSERT INTO content_bytes (content_id, head, body) VALUES (?, ?, ?)').run(id, input.encoded.head, input.encoded.body);

  const link = cachedStatement(db, 'INSERT INTO content_blobs (content_id, blob_id) VALUES (?, ?)');
  const ref = cachedStatement(
    db,
    'INSERT INTO blobs (id, refcount, size) VALUES (?, 1, ?) ON CONFLICT(id) DO UPDATE SET refcount = refcount + 1 RETURNING refcount',
  ).pluck();
  const sizes = new Map<string, number>();
  for (const s of m.content) if ('blobId' in s) sizes.set(s.blobId, s.size);
  for (const blobId of new Set(m.blobIds)) {
    link.run(id, blobId);
    if ((ref.get(blobId, sizes.get(blobId) ?? 0) as number) === 1) (fx.newBlobs ??= []).push(blobId);
  }
  indexContent(db, fx, vocabulary, id, input.fields, input.tokens);
  insertContentFields(db, id, input.fields);
  return id;
}

/**
 * Deletes the contents among `ids` that no message row references any more (the caller has
 * deleted its rows first): bytes, JSON, index entries and blob references; blobs reaching 0 are
 * queued in fx.freedBlobs for deletion after commit.
 */
export function releaseContents(db: SqliteDb, fx: WriteEffects, ids: readonly number[]): void {
  if (ids.length === 0) return;
  const orphans = cachedStatement(
    db,
    `SELECT value FROM json_each(?) WHERE NOT EXISTS (SELECT 1 FROM messages WHERE content_id = value)`,
  )
    .pluck()
    .all(JSON.stringify([...new Set(ids)])) as number[];
  if (orphans.length === 0) return;
  const list = JSON.stringify(orphans);
  releaseBlobRefs(db, fx, 'content', list);
  unindexContents(db, fx, orphans);
  // content_bytes and content_blobs follow by ON DELETE CASCADE.
  cachedStatement(db, 'DELETE FROM contents WHERE id IN (SELECT value FROM json_each(?))').run(list);
}
