import type { SqliteDb } from '../db.js';
import { cachedStatement } from '../context.js';
import { decodeEnvelope, decodeHeader } from '../compact-json.js';
import { foldForMatch } from '../../search/fold.js';
import { addressText } from '../../search/message-fields.js';
import type { FieldValues } from '../../search/message-fields.js';

/**
 * Subject, addresses and attachment names of each content, folded as substring search compares
 * them (fold.ts), in a narrow table of their own: IMAP SUBJECT/FROM/TO/CC/BCC and filename
 * substring searches are one instr() per message in scope, exact, whatever the value looks like.
 * A few hundred bytes per message; the body is never kept here.
 */
export const SHORT_FIELDS = ['subject', 'from_text', 'to_text', 'cc_text', 'bcc_text', 'filenames'] as const;
export type ShortField = (typeof SHORT_FIELDS)[number];

const MAX = 4096;

export function insertContentFields(db: SqliteDb, contentId: number, fields: FieldValues): void {
  cachedStatement(db, `INSERT INTO content_fields (content_id, ${SHORT_FIELDS.join(', ')}) VALUES (?, ${SHORT_FIELDS.map(() => '?').join(', ')})`).run(
    contentId,
    ...SHORT_FIELDS.map((f) => foldForMatch(fields[f]).slice(0, MAX)),
  );
}

/** Migration 4 of the 'mail' area: the table, filled for the contents already stored. */
export function addContentFields(db: SqliteDb): void {
  db.exec(`
  CREATE TABLE content_fields (
    content_id INTEGER PRIMARY KEY REFERENCES contents(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    from_text TEXT NOT NULL,
    to_text TEXT NOT NULL,
    cc_text TEXT NOT NULL,
    bcc_text TEXT NOT NULL,
    filenames TEXT NOT NULL
  );`);
  interface Row {
    id: number;
    header: string;
    envelope: string;
    filenames: string | null;
  }
  const page = db.prepare('SELECT id, header, envelope, filenames FROM contents WHERE id > ? ORDER BY id LIMIT 5000');
  // In pages: a statement still reading cannot share the connection with the inserts.
  for (let rows = page.all(0) as Row[]; rows.length > 0; rows = page.all(rows[rows.length - 1]!.id) as Row[]) {
    for (const r of rows) {
      const env = decodeEnvelope(r.envelope);
      const h = decodeHeader(r.header, env);
      insertContentFields(db, r.id, {
        subject: h.subject,
        from_text: addressText(h.from, env?.from),
        to_text: addressText(h.to, env?.to),
        cc_text: addressText(h.cc, env?.cc),
        bcc_text: addressText(h.bcc, env?.bcc),
        headers: '',
        body: '',
        filenames: r.filenames ?? '',
      });
    }
  }
}
