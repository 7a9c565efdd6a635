import { loadConfig } from '../../config/index.js';
import { prepareMessage, readContent } from '../../mail/mime/index.js';
import { ImportAborted, detectFormat, emlSource, maildirSource, mboxSource, runImport, type ImportFormat, type ImportSource } from '../../mail/import/index.js';
import { runMaildirExport } from '../../mail/export/index.js';
import { startSearchIndexMerger } from '../search-index-merger.js';
import { withStore } from './store-session.js';
import { parseCommand } from './parse-command.js';
import { createProgress } from './progress.js';
import { createTerminal } from './terminal.js';
import { UsageError } from './usage-error.js';
import { existsSync } from 'node:fs';

const FORMATS: ImportFormat[] = ['mbox', 'maildir', 'eml'];

/**
 * SQLite's memory map for an import, smaller than the server's: an import mostly writes, and its
 * reads (duplicate checks, index pages) hit a small part of the file, while every mapped page
 * it touches stays in the process's resident set. 64 MiB keeps a 200k-message import under
 * 512 MB (bench/import-bench.ts).
 */
const IMPORT_MMAP_BYTES = 64 * 1024 * 1024;

/**
 * How often the import merges content_fts: more often than the server's 5 s, because an import
 * commits without pause (a few thousand messages in a few seconds) and a run has more to merge
 * the longer it waits.
 */
const IMPORT_MERGE_INTERVAL_MS = 1000;

async function openSource(path: string, format: ImportFormat, maxMessageSize: number): Promise<ImportSource> {
  if (format === 'mbox') return mboxSource(path, { maxMessageSize });
  if (format === 'maildir') return maildirSource(path);
  return emlSource(path);
}

/** `heron import <address> <file|dir>`: see COMMAND_HELP.import. Exit 1 when some messages could not be read. */
export async function importCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand('import', argv, { mailbox: { type: 'string' }, format: { type: 'string' } });
  if (!parsed) return 0;
  const [address, path] = parsed.positionals;
  if (!address || !path || parsed.positionals.length > 2) throw new UsageError('usage: heron import <address> <file|dir> [--mailbox <name>] [--format mbox|maildir|eml]');
  if (!existsSync(path)) throw new UsageError(`${path}: no such file or directory`);
  const requested = parsed.values.format as string | undefined;
  if (requested !== undefined && !FORMATS.includes(requested as ImportFormat)) throw new UsageError(`--format: one of ${FORMATS.join(', ')}`);
  const format = (requested as ImportFormat | undefined) ?? (await detectFormat(path));
  if (!format) throw new UsageError(`${path}: found no mbox, Maildir or .eml files there (use --format to say which)`);
  const config = loadConfig(parsed.values.config !== undefined ? { file: parsed.values.config as string } : {});
  const term = createTerminal(process.stderr);

  return withStore(config, async ({ store }) => {
    const user = await store.users.findUserByLogin(address);
    if (!user) throw new UsageError(`no such user: ${address} (create it with: heron user add ${address})`);
    const source = await openSource(path, format, config.limits.maxMessageSize);
    process.stderr.write(`${term.bold('Importing')} ${path} (${format}) into ${user.address}\n`);
    const progress = createProgress({ term, out: process.stderr, total: source.total, label: 'import' });
    // The server's background merge of the full-text index, so that it runs between the
    // import's commits instead of as FTS5's crisis merges inside them; stopped before the store closes.
    const merger = store.searchIndex ? startSearchIndexMerger(store.searchIndex, { intervalMs: IMPORT_MERGE_INTERVAL_MS }) : null;
    try {
      const counts = await runImport(
        { mail: store.mail, blobs: store.blobs, prepare: (raw, blobs) => prepareMessage(raw, blobs), userId: user.id },
        source,
        parsed.values.mailbox ? { mailbox: parsed.values.mailbox as string } : {},
        { onProgress: (c) => progress.update(c, source.position()), onProblem: (origin, reason) => progress.problem(origin, reason) },
      );
      progress.finish(counts);
      return counts.failed > 0 ? 1 : 0;
    } catch (err) {
      if (err instanceof ImportAborted) throw new UsageError(err.message);
      throw err;
    } finally {
      await merger?.stop();
    }
  }, { sqliteMmapBytes: IMPORT_MMAP_BYTES });
}

/** `heron export <address> <dir>`: every mailbox as Maildir++, each file exactly the stored message. */
export async function exportCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand('export', argv, {});
  if (!parsed) return 0;
  const [address, dir] = parsed.positionals;
  if (!address || !dir || parsed.positionals.length > 2) throw new UsageError('usage: heron export <address> <dir>');
  const config = loadConfig(parsed.values.config !== undefined ? { file: parsed.values.config as string } : {});
  const term = createTerminal(process.stderr);
  return withStore(config, async ({ store }) => {
    const user = await store.users.findUserByLogin(address);
    if (!user) throw new UsageError(`no such user: ${address}`);
    let total = 0;
    let lastDraw = 0;
    const counts = await runMaildirExport(
      { mail: store.mail, userId: user.id, fields: ['content'], openMessage: (rec) => readContent(rec.content!, store.blobs) },
      dir,
      {
        onMailbox: (mb, messages) => {
          total += messages;
          process.stderr.write(`${term.isTTY ? '\r\u001b[2K' : ''}${mb.path}: ${messages} messages\n`);
        },
        onProgress: (c) => {
          if (!term.isTTY || Date.now() - lastDraw < 100) return;
          lastDraw = Date.now();
          process.stderr.write(`\r\u001b[2K${c.exported + c.skipped} of ${total} so far`);
        },
      },
    );
    process.stderr.write(`${term.isTTY ? '\r\u001b[2K' : ''}export: ${counts.exported} messages written, ${counts.skipped} already there, ${counts.mailboxes} mailboxes in ${dir}\n`);
    return 0;
  });
}
