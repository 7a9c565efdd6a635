import type { SqliteDb } from './db.js';

/**
 * Migration 3 of the 'mail' area: the stored message, format 2 (domain/message.ts).
 *
 * - `contents`: one row per delivered message (its id is the RFC 8474 EMAILID), shared by every
 *   copy (COPY, delivery to several users), with the compact JSON the protocols read
 *   (ENVELOPE, structure with byte offsets, header summary, attachment list) and the display
 *   strings substring search verifies against; `content_bytes` holds the exact bytes
 *   (content-codec.ts), `content_blobs` the blob references (reference counts as before).
 * - `content_fts`: contentless FTS5 (the text is not stored a second time) over subject,
 *   addresses, header text, body text and attachment names; `search_terms` is its vocabulary,
 *   kept by the store, for substring search (search/vocabulary.ts).
 * - messages gain content_id, saved_at (RFC 8514), sort keys (RFC 5256/5957) and sent_day; the
 *   old thread ids (random hex) become decimal ids below the first EMAILID; mailboxes gain the
 *   \\Recent watermark and the URLAUTH key generation; subscriptions move to their own table.
 *
 * Rows of format 1 (content_id IS NULL) keep their message_content/message_search/message_blobs
 * rows until server/ rewrites them through LegacyMessages (legacy/), which needs the MIME parser.
 */
export function migrateToFormat2(db: SqliteDb): void {
  db.exec(`
  CREATE TABLE contents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    size INTEGER NOT NULL,
    layout TEXT,
    packing INTEGER NOT NULL,
    envelope TEXT NOT NULL,
    header TEXT NOT NULL,
    structure TEXT NOT NULL,
    attachments TEXT,
    filenames TEXT,
    snippet TEXT NOT NULL
  );
  CREATE TABLE content_bytes (
    content_id INTEGER PRIMARY KEY REFERENCES contents(id) ON DELETE CASCADE,
    head BLOB NOT NULL,
    body BLOB NOT NULL
  );
  CREATE TABLE content_blobs (
    content_id INTEGER NOT NULL REFERENCES contents(id) ON DELETE CASCADE,
    blob_id TEXT NOT NULL
  );
  CREATE INDEX content_blobs_content ON content_blobs(content_id);

  CREATE VIRTUAL TABLE content_fts USING fts5(
    subject, from_text, to_text, cc_text, bcc_text, headers, body, filenames,
    content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 2'
  );
  CREATE TABLE search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;

  ALTER TABLE messages ADD COLUMN content_id INTEGER;
  ALTER TABLE messages ADD COLUMN saved_at INTEGER;
  ALTER TABLE messages RENAME COLUMN sent_date TO sent_at;
  ALTER TABLE messages ADD COLUMN sent_day INTEGER;
  ALTER TABLE messages ADD COLUMN base_subject TEXT;
  ALTER TABLE messages ADD COLUMN subject_is_reply INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE messages ADD COLUMN sort_from TEXT;
  ALTER TABLE messages ADD COLUMN sort_to TEXT;
  ALTER TABLE messages ADD COLUMN sort_cc TEXT;
  ALTER TABLE messages ADD COLUMN display_from TEXT;
  ALTER TABLE messages ADD COLUMN display_to TEXT;
  ALTER TABLE messages ADD COLUMN refs TEXT;
  UPDATE messages SET saved_at = internal_date;
  CREATE INDEX messages_content ON messages(content_id);
  CREATE INDEX messages_keywords ON messages(mailbox_id) WHERE keywords IS NOT NULL;
  CREATE INDEX messages_thread ON messages(user_id, thread_id);
  -- STATUS MESSAGES and SIZE (RFC 8438) from the index alone.
  CREATE INDEX messages_size ON messages(mailbox_id, size);
  DROP INDEX messages_msgid;
  CREATE INDEX messages_msgid ON messages(message_id_header, mailbox_id);

  ALTER TABLE mailboxes ADD COLUMN recent_uid INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE mailboxes ADD COLUMN urlauth_generation INTEGER NOT NULL DEFAULT 1;
  -- Messages already there were seen by some session of the old code: none is \\Recent.
  UPDATE mailboxes SET recent_uid = uid_next - 1;

  CREATE TABLE subscriptions (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    PRIMARY KEY (user_id, path)
  ) WITHOUT ROWID;
  INSERT INTO subscriptions (user_id, path) SELECT user_id, path FROM mailboxes WHERE subscribed = 1;
  `);

  // Thread ids become decimal strings (RFC 8474 THREADID, X-GM-THRID). Old ones are numbered
  // 1..n and EMAILIDs start above n, so the thread id of a new conversation (its first
  // message's EMAILID) never meets an old one.
  db.exec(`
  CREATE TEMP TABLE thread_map (old TEXT PRIMARY KEY, new INTEGER NOT NULL);
  INSERT INTO thread_map (old, new)
    SELECT thread_id, row_number() OVER (ORDER BY thread_id) FROM (SELECT DISTINCT thread_id FROM messages WHERE thread_id IS NOT NULL);
  UPDATE messages SET thread_id = (SELECT new FROM thread_map WHERE old = messages.thread_id) WHERE thread_id IS NOT NULL;
  UPDATE messages SET thread_id = (SELECT count(*) FROM thread_map) + id WHERE thread_id IS NULL;
  DROP TABLE thread_map;
  `);
  const top = db.prepare('SELECT coalesce(max(CAST(thread_id AS INTEGER)), 0) FROM messages').pluck().get() as number;
  if (top > 0) db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('contents', ?)").run(top);
}
