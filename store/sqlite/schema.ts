import type { Migration } from './migrate.js';
import { migrateToFormat2 } from './format2.js';
import { addContentFields } from './search/content-fields.js';

/**
 * The 'mail' area: users, domains, addresses, mailboxes, messages, blobs, journal, full-text.
 *
 * messages holds only small fixed-size columns (so FETCH FLAGS over 50k rows reads narrow rows
 * and no MIME tree); heavy parts live in message_content; display and searchable text (subject,
 * addresses, body) lives in message_search, which an external-content FTS5 table indexes
 * through triggers.
 * System flags are separate 0/1 columns so \Seen and \Deleted counts use an index.
 * Times are milliseconds since the epoch.
 */
export const MAIL_MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE domains (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    phone TEXT,
    verified INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    admin INTEGER NOT NULL DEFAULT 0,
    quota INTEGER NOT NULL DEFAULT 0,
    storage_used INTEGER NOT NULL DEFAULT 0,
    last_uid_validity INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );

  -- Primary addresses and aliases alike, so a recipient resolves with one lookup.
  CREATE TABLE addresses (
    address TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX addresses_user ON addresses(user_id);
  CREATE INDEX addresses_domain ON addresses(domain);

  CREATE TABLE mailboxes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    special_use TEXT,
    uid_validity INTEGER NOT NULL,
    uid_next INTEGER NOT NULL DEFAULT 1,
    highest_modseq INTEGER NOT NULL DEFAULT 1,
    subscribed INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, path)
  );
  CREATE INDEX mailboxes_special ON mailboxes(user_id, special_use);

  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    modseq INTEGER NOT NULL,
    seen INTEGER NOT NULL DEFAULT 0,
    answered INTEGER NOT NULL DEFAULT 0,
    flagged INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    draft INTEGER NOT NULL DEFAULT 0,
    keywords TEXT,
    internal_date INTEGER NOT NULL,
    size INTEGER NOT NULL,
    thread_id TEXT,
    message_id_header TEXT,
    sent_date INTEGER,
    has_attachments INTEGER NOT NULL DEFAULT 0,
    UNIQUE (mailbox_id, uid)
  );
  CREATE INDEX messages_modseq ON messages(mailbox_id, modseq);
  CREATE INDEX messages_seen ON messages(mailbox_id, seen);
  CREATE INDEX messages_flagged ON messages(mailbox_id, flagged);
  CREATE INDEX messages_deleted ON messages(mailbox_id, deleted);
  CREATE INDEX messages_user_date ON messages(user_id, internal_date, id);
  CREATE INDEX messages_msgid ON messages(message_id_header);

  CREATE TABLE message_content (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    mime_tree BLOB NOT NULL,
    envelope BLOB NOT NULL,
    bodystructure BLOB NOT NULL,
    header BLOB NOT NULL,
    header_text TEXT NOT NULL,
    attachments TEXT NOT NULL,
    html TEXT NOT NULL
  );

  -- One row per (message, blob reference); the refcount in blobs is the count of these rows.
  CREATE TABLE message_blobs (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    blob_id TEXT NOT NULL
  );
  CREATE INDEX message_blobs_message ON message_blobs(message_id);

  CREATE TABLE blobs (
    id TEXT PRIMARY KEY,
    refcount INTEGER NOT NULL,
    size INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX blobs_unreferenced ON blobs(refcount) WHERE refcount <= 0;

  CREATE TABLE message_search (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    from_text TEXT NOT NULL,
    to_text TEXT NOT NULL,
    cc_text TEXT NOT NULL,
    bcc_text TEXT NOT NULL,
    body TEXT NOT NULL,
    filenames TEXT NOT NULL
  );

  CREATE VIRTUAL TABLE message_fts USING fts5(
    subject, from_text, to_text, cc_text, bcc_text, body, filenames,
    content='message_search', content_rowid='message_id',
    tokenize='unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER message_search_ai AFTER INSERT ON message_search BEGIN
    INSERT INTO message_fts(rowid, subject, from_text, to_text, cc_text, bcc_text, body, filenames)
    VALUES (new.message_id, new.subject, new.from_text, new.to_text, new.cc_text, new.bcc_text, new.body, new.filenames);
  END;
  CREATE TRIGGER message_search_ad AFTER DELETE ON message_search BEGIN
    INSERT INTO message_fts(message_fts, rowid, subject, from_text, to_text, cc_text, bcc_text, body, filenames)
    VALUES ('delete', old.message_id, old.subject, old.from_text, old.to_text, old.cc_text, old.bcc_text, old.body, old.filenames);
  END;

  -- Per-mailbox change log (RFC 7162 catch-up). Goes with its mailbox: a re-created mailbox
  -- has a new UIDVALIDITY, so clients resync it from scratch anyway.
  CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
    modseq INTEGER NOT NULL,
    type TEXT NOT NULL,
    uid INTEGER,
    message_id INTEGER,
    flags TEXT,
    action TEXT,
    path TEXT
  );
  CREATE INDEX journal_mailbox ON journal(mailbox_id, modseq);
  `,
  // 2: the journal keeps only the latest flags entry per message (see journal.ts), found by uid.
  `CREATE INDEX journal_uid ON journal(mailbox_id, uid, type);`,
  // 3: format 2 (see format2.ts). Rows of format 1 stay until server/ rewrites them (legacy/).
  migrateToFormat2,
  // 4: folded subject, addresses and attachment names for substring scans (content-fields.ts).
  addContentFields,
  // 5: covering indexes for the whole-mailbox reads of narrow-reads.ts (FETCH 1:* FLAGS and THREAD
  // of 50,000 messages read the index alone instead of every wide message row).
  `CREATE INDEX IF NOT EXISTS messages_flag_state ON messages(mailbox_id, uid, modseq, seen, answered, flagged, deleted, draft, keywords);
   CREATE INDEX IF NOT EXISTS messages_thread_keys ON messages(mailbox_id, uid, sent_at, internal_date, subject_is_reply, content_id, base_subject);`,
];
