import { open, rm, mkdir, readdir, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { HeaderEndScanner } from './header-end.js';
import { LineEndStream } from './line-end-stream.js';

export interface SpoolResult {
  /** The spool file, once the message outgrew `memoryLimit`; null while it is held in `data`. */
  path: string | null;
  /** The whole message, when it stayed under `memoryLimit` (no file was written). */
  data: Buffer | null;
  /** Bytes received, counting those past the cap that were read and dropped. */
  size: number;
  /** Bytes kept (in `data` or the file): differs from `size` when line ends were normalised. */
  storedSize: number;
  /** Bytes of the header block as kept, up to the end of its last field line (the whole message when it has no empty line). */
  headerBytes: number;
  /** With `normalize`: where the first bare CR was (an offset into the kept bytes, now a CRLF), or -1. */
  firstBareCr: number;
  /** The message was larger than maxBytes; nothing past the cap was kept and no file remains. */
  overLimit: boolean;
  /** The header block alone was larger than maxHeaderBytes; no file remains. */
  headerOverLimit: boolean;
}

/** Below this a message stays in memory: five file operations cost more than 256 KB of RAM. */
export const DEFAULT_MEMORY_LIMIT = 256 * 1024;

/**
 * Takes in an incoming message body with a hard size cap. Small messages are kept in memory;
 * one that grows past `memoryLimit` goes to `<dir>/<name>.eml` chunk by chunk, so a 30 MB
 * message is never held in memory here. Once the cap is passed it stops keeping data but keeps
 * reading: the client is still sending, and the SMTP reply (552, RFC 5321 4.5.3.1.10) can only
 * come after the final dot. The spool is scratch space, not the durability point (the store
 * commit is), so it is not fsync'd.
 * With `normalize`, bare CR and bare LF become CRLF on the way in (mail/mime line rules), so a
 * spooled message is the same bytes as one held in memory and the header cap counts those bytes.
 */
export async function spoolToFile(
  source: Readable,
  opts: { dir: string; name: string; maxBytes: number; maxHeaderBytes?: number; memoryLimit?: number; normalize?: boolean },
): Promise<SpoolResult> {
  if (!/^[A-Za-z0-9._-]+$/.test(opts.name)) throw new Error(`unsafe spool name ${JSON.stringify(opts.name)}`);
  const memoryLimit = opts.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  const target = join(opts.dir, `${opts.name}.eml`);
  // Asserted, not annotated: `keep` assigns it, which flow analysis does not see from here.
  let file = null as FileHandle | null;
  let held: Buffer[] = [];
  let size = 0;
  let overLimit = false;
  let headerOverLimit = false;
  const header = new HeaderEndScanner();
  const maxHeader = opts.maxHeaderBytes ?? Infinity;
  const lineEnds = opts.normalize ? new LineEndStream() : null;
  let stored = 0;
  const keep = async (chunk: Buffer): Promise<void> => {
    if (chunk.length === 0) return;
    stored += chunk.length;
    if (!header.done) {
      header.push(chunk);
      if (header.headerBytes > maxHeader) {
        headerOverLimit = true;
        return;
      }
    }
    if (file) {
      await file.write(chunk);
    } else if (stored <= memoryLimit) {
      held.push(chunk);
    } else {
      file = await open(target, 'wx', 0o600);
      for (const c of held) await file.write(c);
      held = [];
      await file.write(chunk);
    }
  };
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (overLimit || headerOverLimit) continue;
      if (size > opts.maxBytes) {
        overLimit = true;
        continue;
      }
      await keep(lineEnds ? lineEnds.push(chunk) : chunk);
    }
    if (lineEnds && !overLimit && !headerOverLimit) await keep(lineEnds.end());
  } catch (err) {
    if (file) {
      await file.close().catch(() => undefined);
      await removeSpool(target);
    }
    throw err;
  }
  if (file) await file.close();
  const facts = { size, storedSize: stored, headerBytes: header.headerBytes, firstBareCr: lineEnds?.firstBareCr ?? -1, overLimit, headerOverLimit };
  if (overLimit || headerOverLimit) {
    if (file) await removeSpool(target);
    return { path: null, data: null, ...facts };
  }
  return file ? { path: target, data: null, ...facts } : { path: null, data: Buffer.concat(held, stored), ...facts };
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
