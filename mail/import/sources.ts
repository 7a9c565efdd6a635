import { opendir, readFile, stat } from 'node:fs/promises';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import { headerValue } from '../mime/index.js';
import { readMbox } from './mbox-reader.js';
import { readMessageKey, separatorDate } from './message-key.js';
import { placeByLabels } from './gmail-labels.js';
import { mboxFlags } from './mbox-flags.js';
import { flagsFromFileName, parseDovecotKeywords } from './maildir-flags.js';
import { folderToPath } from './maildir-names.js';
import { targetForName, type ImportTarget } from './targets.js';

export type ImportFormat = 'mbox' | 'maildir' | 'eml';

export interface ImportMessage {
  raw: Buffer;
  targets: ImportTarget[];
  flags: string[];
  internalDate: Date | null;
  /** Where it came from, for reports: "file.mbox @ byte 1234" or a file path. */
  origin: string;
}

export type ImportItem = { message: ImportMessage } | { error: string; origin: string };

export interface ImportSource {
  format: ImportFormat;
  /** What progress is measured in, and how much there is. */
  total: { unit: 'bytes' | 'messages'; amount: number };
  /** How far the reading has come, in the same unit. */
  position(): number;
  items(): AsyncIterable<ImportItem>;
}

const NO_TARGET: ImportTarget[] = [];

/** The first bytes of a file (to tell an mbox by its "From " line). */
function head(path: string, n: number): string {
  const buf = Buffer.alloc(n);
  const fd = openSync(path, 'r');
  try {
    return buf.toString('latin1', 0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

const isMboxFile = (path: string): boolean => extname(path).toLowerCase() === '.mbox' || head(path, 5) === 'From ';

/** Finds the format of a file or directory; `null` when nothing here looks like mail. */
export async function detectFormat(path: string): Promise<ImportFormat | null> {
  if (statSync(path).isFile()) return isMboxFile(path) ? 'mbox' : 'eml';
  if (existsSync(join(path, 'cur')) || existsSync(join(path, 'new'))) return 'maildir';
  for await (const f of walk(path)) {
    const ext = extname(f).toLowerCase();
    if (ext === '.mbox') return 'mbox';
    if (ext === '.eml') return 'eml';
  }
  return null;
}

/** Every regular file under `dir`, depth first, streaming (no list of all names in memory). */
async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await opendir(dir);
  const subdirs: string[] = [];
  for await (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) subdirs.push(p);
    else if (e.isFile()) yield p;
  }
  for (const d of subdirs.sort()) yield* walk(d);
}

/**
 * mbox files: one file, or every *.mbox under a directory (each file's name is its mailbox when
 * the messages carry no Gmail labels). Progress in bytes.
 */
export async function mboxSource(path: string, opts: { maxMessageSize: number; mailbox?: string }): Promise<ImportSource> {
  const files: string[] = [];
  if (statSync(path).isFile()) files.push(path);
  else for await (const f of walk(path)) if (isMboxFile(f)) files.push(f);
  let total = 0;
  for (const f of files) total += (await stat(f)).size;
  let done = 0;
  let current = 0;
  return {
    format: 'mbox',
    total: { unit: 'bytes', amount: total },
    position: () => done + current,
    async *items() {
      for (const file of files) {
        const byName = files.length > 1 || !statSync(path).isFile() ? targetForName(basename(file, extname(file))) : null;
        for await (const e of readMbox(file, { maxMessageSize: opts.maxMessageSize })) {
          // Progress by the message's place in the file: finer than the read chunks.
          current = e.offset;
          const origin = `${file} @ byte ${e.offset}`;
          if ('oversize' in e) {
            yield { error: `larger than the ${opts.maxMessageSize}-byte limit (${e.size} bytes)`, origin };
            continue;
          }
          const { fields } = readMessageKey(e.raw);
          const labels = headerValue(fields, 'x-gmail-labels');
          const placed = labels !== null ? placeByLabels(labels) : { targets: byName ? [byName] : NO_TARGET, flags: mboxFlags(fields) };
          yield { message: { raw: e.raw, targets: placed.targets, flags: placed.flags, internalDate: separatorDate(e.separator), origin } };
        }
        done += (await stat(file)).size;
        current = 0;
      }
    },
  };
}

/** The folders of a Maildir++ tree (root = INBOX, ".A.B" = A/B), each with its keyword names. */
async function maildirFolders(root: string): Promise<Array<{ dir: string; target: ImportTarget | null; keywords: string[] }>> {
  const keywordsOf = (dir: string) => {
    const f = join(dir, 'dovecot-keywords');
    return existsSync(f) ? parseDovecotKeywords(readFileSync(f, 'utf8')) : [];
  };
  const folders: Array<{ dir: string; target: ImportTarget | null; keywords: string[] }> = [{ dir: root, target: null, keywords: keywordsOf(root) }];
  for await (const e of await opendir(root)) {
    if (!e.isDirectory() || !e.name.startsWith('.') || e.name === '.' || e.name === '..') continue;
    const dir = join(root, e.name);
    if (existsSync(join(dir, 'cur')) || existsSync(join(dir, 'new'))) folders.push({ dir, target: targetForName(folderToPath(e.name)), keywords: keywordsOf(dir) });
  }
  return folders.sort((a, b) => a.dir.localeCompare(b.dir));
}

async function* maildirFiles(dir: string): AsyncGenerator<{ path: string; name: string; isNew: boolean }> {
  for (const sub of ['new', 'cur']) {
    const d = join(dir, sub);
    if (!existsSync(d)) continue;
    for await (const e of await opendir(d)) if (e.isFile() && !e.name.startsWith('.')) yield { path: join(d, e.name), name: e.name, isNew: sub === 'new' };
  }
}

/** One message per file; the file's time is the internal date (what Dovecot and mutt keep there). */
async function fileItem(path: string, targets: ImportTarget[], flags: string[]): Promise<ImportItem> {
  try {
    const [raw, st] = await Promise.all([readFile(path), stat(path)]);
    return { message: { raw, targets, flags, internalDate: st.mtime, origin: path } };
  } catch (err) {
    return { error: (err as Error).message, origin: path };
  }
}

/** Maildir(++): flags from the file names, the file's time as the internal date. Progress in messages. */
export async function maildirSource(root: string): Promise<ImportSource> {
  const folders = await maildirFolders(root);
  let total = 0;
  for (const f of folders) for await (const file of maildirFiles(f.dir)) if (file.name) total++;
  let position = 0;
  return {
    format: 'maildir',
    total: { unit: 'messages', amount: total },
    position: () => position,
    async *items() {
      for (const folder of folders) {
        for await (const file of maildirFiles(folder.dir)) {
          position++;
          yield await fileItem(file.path, folder.target ? [folder.target] : NO_TARGET, file.isNew ? [] : flagsFromFileName(file.name, folder.keywords));
        }
      }
    },
  };
}

/** A folder of .eml files (or one file): each sub-folder is a mailbox; the file's time is the internal date. */
export async function emlSource(path: string): Promise<ImportSource> {
  const single = statSync(path).isFile();
  const isEml = (f: string) => single || extname(f).toLowerCase() === '.eml';
  let total = 0;
  if (single) total = 1;
  else for await (const f of walk(path)) if (isEml(f)) total++;
  let position = 0;
  return {
    format: 'eml',
    total: { unit: 'messages', amount: total },
    position: () => position,
    async *items() {
      const files = single ? oneFile(path) : walk(path);
      for await (const file of files) {
        if (!isEml(file)) continue;
        position++;
        const rel = single ? '' : relative(path, file).split(sep).slice(0, -1).join('/');
        yield await fileItem(file, rel ? [targetForName(rel)] : NO_TARGET, []);
      }
    },
  };
}

async function* oneFile(path: string): AsyncGenerator<string> {
  yield path;
}
