import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, open, readdir, rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Id, Mailbox, MailStore, MessageField, MessageRecord } from '../../domain/index.js';
import { fileNameFlags, parseDovecotKeywords } from '../import/maildir-flags.js';
import { pathToFolder } from '../import/maildir-names.js';

export interface ExportDeps {
  mail: MailStore;
  userId: Id;
  /** The stored message's exact bytes (what IMAP serves as BODY[]). */
  openMessage(record: MessageRecord): Readable;
  /** The record fields `openMessage` needs. */
  fields: MessageField[];
}

export interface ExportCounts {
  mailboxes: number;
  exported: number;
  /** Already in the directory from an earlier run. */
  skipped: number;
}

export interface ExportEvents {
  onMailbox?(mailbox: Mailbox, messages: number): void;
  onProgress?(counts: Readonly<ExportCounts>): void;
}

const BATCH = 100;

/** The file name before its ":2," flags: the same on every run, so a second run skips what is there. */
function baseName(rec: MessageRecord, uidValidity: number): string {
  return `${Math.floor(rec.internalDate.getTime() / 1000)}.U${uidValidity}_${rec.uid}.heron,S=${rec.size}`;
}

async function folderState(dir: string): Promise<{ existing: Set<string>; keywords: string[] }> {
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(dir, sub), { recursive: true, mode: 0o700 });
  const existing = new Set<string>();
  for (const sub of ['cur', 'new']) for (const name of await readdir(join(dir, sub))) existing.add(name.replace(/:2,.*$/, ''));
  const kwFile = join(dir, 'dovecot-keywords');
  return { existing, keywords: existsSync(kwFile) ? parseDovecotKeywords(readFileSync(kwFile, 'utf8')) : [] };
}

async function writeKeywords(dir: string, keywords: string[]): Promise<number> {
  const tmp = join(dir, 'tmp', 'dovecot-keywords');
  await writeFile(tmp, keywords.map((k, n) => `${n} ${k}\n`).join(''));
  await rename(tmp, join(dir, 'dovecot-keywords'));
  return keywords.length;
}

/**
 * Writes every mailbox of a user as Maildir++ (INBOX at the top, others as ".A.B"), one file per
 * message holding exactly the stored bytes, flags in the name (keywords through
 * dovecot-keywords), the internal date as the file time. Each file is written in tmp/, synced,
 * then renamed into cur/ (the Maildir delivery rule), so an interrupted export leaves no partial
 * message; running it again adds only what is missing.
 */
export async function runMaildirExport(deps: ExportDeps, root: string, events: ExportEvents = {}): Promise<ExportCounts> {
  const counts: ExportCounts = { mailboxes: 0, exported: 0, skipped: 0 };
  const mailboxes = (await deps.mail.listMailboxes(deps.userId)).sort((a, b) => a.path.localeCompare(b.path));
  for (const mailbox of mailboxes) {
    const dir = mailbox.path === 'INBOX' ? root : join(root, pathToFolder(mailbox.path));
    const { existing, keywords } = await folderState(dir);
    let written = keywords.length;
    const keywordIndex = (k: string): number | null => {
      let i = keywords.indexOf(k);
      if (i === -1 && keywords.length < 26) i = keywords.push(k) - 1;
      return i === -1 ? null : i;
    };
    const uids = await deps.mail.listUids(mailbox.id);
    counts.mailboxes++;
    events.onMailbox?.(mailbox, uids.length);
    for (let i = 0; i < uids.length; i += BATCH) {
      for await (const rec of deps.mail.getMessages(mailbox.id, uids.slice(i, i + BATCH), { fields: ['flags', ...deps.fields] })) {
        const base = baseName(rec, mailbox.uidValidity);
        if (existing.has(base)) {
          counts.skipped++;
        } else {
          const tmp = join(dir, 'tmp', base);
          await pipeline(deps.openMessage(rec), createWriteStream(tmp, { mode: 0o600 }));
          // fsync applies to the file, whichever descriptor asks: the bytes are on disk before the rename.
          const file = await open(tmp, 'r');
          try {
            await file.sync();
          } finally {
            await file.close();
          }
          await utimes(tmp, rec.internalDate, rec.internalDate);
          const suffix = fileNameFlags(rec.flags, keywordIndex);
          // A letter in a name must already mean its keyword on disk.
          if (keywords.length > written) written = await writeKeywords(dir, keywords);
          await rename(tmp, join(dir, 'cur', base + suffix));
          counts.exported++;
        }
        events.onProgress?.(counts);
      }
    }
  }
  return counts;
}
