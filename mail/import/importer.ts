import { isStoreError, type BlobStore, type Id, type MailStore, type PreparedMessage } from '../../domain/index.js';
import { readMessageKey } from './message-key.js';
import { alreadyImported } from './already-imported.js';
import { createMailboxResolver } from './mailbox-resolver.js';
import { targetForName, type ImportTarget } from './targets.js';
import type { ImportSource } from './sources.js';

export interface ImportDeps {
  mail: MailStore;
  blobs: BlobStore;
  /** mail/mime's prepareMessage (or the codec it replaces): parse once, write blobs. */
  prepare(raw: Buffer, blobs: BlobStore): Promise<PreparedMessage>;
  userId: Id;
}

export interface ImportOptions {
  /** Put everything here instead of where labels and folders say. */
  mailbox?: string;
}

export interface ImportCounts {
  /** Messages read from the source (good and bad). */
  read: number;
  imported: number;
  /** Already there (every target mailbox held it). */
  skipped: number;
  failed: number;
}

export interface ImportEvents {
  onProgress?(counts: Readonly<ImportCounts>): void;
  onProblem?(origin: string, reason: string): void;
}

/** The import stops on these: going on would fail every following message the same way. */
export class ImportAborted extends Error {}

/** Appends in flight at once: the store commits concurrent writes together (one fsync for many). */
const WINDOW = 64;

/**
 * Reads a source message by message and appends what is missing: every message goes through
 * `prepare` + `MailStore.append`, which commits durably before it resolves, so a run stopped at
 * any point loses nothing and a second run skips what the first one stored (Message-ID, date,
 * size per target mailbox). Appends are issued in source order, up to WINDOW at a time, so UIDs
 * follow the source and memory holds at most WINDOW prepared messages. A message that cannot be
 * read is reported and skipped.
 */
export async function runImport(deps: ImportDeps, source: ImportSource, opts: ImportOptions = {}, events: ImportEvents = {}): Promise<ImportCounts> {
  const counts: ImportCounts = { read: 0, imported: 0, skipped: 0, failed: 0 };
  const resolve = createMailboxResolver(deps.mail, deps.userId);
  const override: ImportTarget[] | null = opts.mailbox ? [targetForName(opts.mailbox)] : null;
  const inbox: ImportTarget[] = [{ specialUse: '\\Inbox' }];
  const problem = (origin: string, reason: string) => {
    counts.failed++;
    events.onProblem?.(origin, reason);
  };
  const inflight: Array<Promise<void>> = [];
  /** Keys of messages being appended: a repeat in the source is caught before the store can see the first. */
  const pending = new Set<string>();
  let aborted: ImportAborted | null = null;

  const append = async (mailboxIds: Id[], keys: string[], prepared: PreparedMessage, flags: string[], internalDate: Date | null, origin: string) => {
    try {
      // Queued together, so each mailbox's UIDs follow the source order.
      await Promise.all(mailboxIds.map((mailboxId) => deps.mail.append(deps.userId, mailboxId, prepared, { flags, ...(internalDate ? { internalDate } : {}) })));
      counts.imported++;
    } catch (err) {
      if (isStoreError(err, 'quota_exceeded')) aborted ??= new ImportAborted(`the user's quota is full after ${counts.imported} messages (raise the user's quota, then run the import again)`);
      else problem(origin, (err as Error).message);
    } finally {
      for (const k of keys) pending.delete(k);
      events.onProgress?.(counts);
    }
  };

  for await (const item of source.items()) {
    if (aborted) break;
    counts.read++;
    if ('error' in item) {
      problem(item.origin, item.error);
      events.onProgress?.(counts);
      continue;
    }
    const msg = item.message;
    try {
      const { key, fields } = readMessageKey(msg.raw);
      if (fields.length === 0 || fields.every((f) => f.colon === -1)) {
        problem(msg.origin, 'not a message: no header fields');
        events.onProgress?.(counts);
        continue;
      }
      const targets = override ?? (msg.targets.length > 0 ? msg.targets : inbox);
      const missing: Id[] = [];
      const keys: string[] = [];
      for (const t of targets) {
        const mailboxId = await resolve(t);
        const k = `${mailboxId}\u0000${key.messageId ?? ''}\u0000${key.date ?? ''}\u0000${key.size}`;
        if (missing.includes(mailboxId) || pending.has(k) || (await alreadyImported(deps.mail, mailboxId, key))) continue;
        missing.push(mailboxId);
        keys.push(k);
      }
      if (missing.length === 0) {
        counts.skipped++;
        events.onProgress?.(counts);
        continue;
      }
      const prepared = await deps.prepare(msg.raw, deps.blobs);
      for (const k of keys) pending.add(k);
      inflight.push(append(missing, keys, prepared, msg.flags, msg.internalDate, msg.origin));
      if (inflight.length >= WINDOW) await inflight.shift();
    } catch (err) {
      problem(msg.origin, (err as Error).message);
      events.onProgress?.(counts);
    }
  }
  await Promise.all(inflight);
  if (aborted) throw aborted;
  return counts;
}
