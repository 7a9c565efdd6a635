import { open, rm, mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { HeaderEndScanner } from './header-end.js';

export interface SpoolResult {
  path: string;
  /** Bytes received, counting those past the cap that were read and dropped. */
  size: number;
  /** The message was larger than maxBytes; nothing past the cap was written and the file is gone. */
  overLimit: boolean;
  /** The header block alone was larger than maxHeaderBytes; the file is gone. */
  headerOverLimit: boolean;
}

/**
 * Streams an incoming message body to `<dir>/<name>.eml` chunk by chunk, so a 30 MB message is
 * never held in memory here. Once the cap is passed it stops writing but keeps reading: the
 * client is still sending, and the SMTP reply (552, RFC 5321 4.5.3.1.10) can only come after
 * the final dot. The spool is scratch space, not the durability point (the store commit is),
 * so it is not fsync'd.
 */
export async function spoolToFile(
  source: Readable,
  opts: { dir: string; name: string; maxBytes: number; maxHeaderBytes?: number },
): Promise<SpoolResult> {
  if (!/^[A-Za-z0-9._-]+$/.test(opts.name)) throw new Error(`unsafe spool name ${JSON.stringify(opts.name)}`);
  const path = join(opts.dir, `${opts.name}.eml`);
  const file = await open(path, 'wx', 0o600);
  let size = 0;
  let overLimit = false;
  let headerOverLimit = false;
  const header = new HeaderEndScanner();
  const maxHeader = opts.maxHeaderBytes ?? Infinity;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (overLimit || headerOverLimit) continue;
      if (size > opts.maxBytes) {
        overLimit = true;
        continue;
      }
      if (!header.done) {
        header.push(chunk);
        if (header.headerBytes > maxHeader) {
          headerOverLimit = true;
          continue;
        }
      }
      await file.write(chunk);
    }
  } catch (err) {
    await file.close().catch(() => undefined);
    await removeSpool(path);
    throw err;
  }
  await file.close();
  if (overLimit || headerOverLimit) await removeSpool(path);
  return { path, size, overLimit, headerOverLimit };
}

/** A plain unlink: fs.rm would lstat and walk the path like rimraf, costly once per message. */
export async function removeSpool(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Creates the spool directory and deletes what a crash left there under `prefix`: those
 * messages were never acknowledged with 250, so the sending MTA still holds them and will
 * retry. Only the caller's own prefix is swept, since other services share the directory and
 * may already be writing to it.
 */
export async function prepareSpoolDir(dir: string, prefix: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const entry of await readdir(dir)) {
    if (entry.startsWith(prefix) && entry.endsWith('.eml')) await rm(join(dir, entry), { force: true });
  }
}
