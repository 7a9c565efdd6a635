import { createHash, randomBytes } from 'node:crypto';
import { createReadStream as fsCreateReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { BlobStore } from '../../domain/index.js';

const BLOB_ID = /^[0-9a-f]{64}$/;

function enoent(id: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`blob ${id} not found`);
  err.code = 'ENOENT';
  return err;
}

/** Flushes a directory entry so a rename survives power loss (POSIX: rename is durable only once the dir is synced). */
async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export interface FsBlobStore extends BlobStore {
  /**
   * Ids of blobs not written or re-put for `idleMs` (file mtime), for the sweep of blobs no
   * message references (e.g. parts of a message a filter rejected after the codec stored them).
   * Also removes temp files of writes interrupted that long ago.
   */
  listIdle(idleMs: number, now?: number): AsyncIterable<string>;
}

/**
 * Content-addressed blobs on the local file system: `dir/ab/cd/<sha256 hex>`. The two-level
 * fan-out keeps directories small enough for any file system. Files are written to a temp name,
 * fsync'd, renamed into place and the directory fsync'd, so a blob either exists whole or not at all.
 */
export function createFsBlobStore(dir: string): FsBlobStore {
  const pathOf = (id: string): string => join(dir, id.slice(0, 2), id.slice(2, 4), id);

  return {
    async put(data: Buffer) {
      const id = createHash('sha256').update(data).digest('hex');
      const target = pathOf(id);
      try {
        const st = await stat(target);
        if (st.size === data.length) {
          // A fresh mtime tells the unreferenced-blob sweep that someone is about to use it.
          const now = new Date();
          await utimes(target, now, now).catch(() => undefined);
          return { id, size: data.length };
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const parent = join(dir, id.slice(0, 2), id.slice(2, 4));
      await mkdir(parent, { recursive: true });
      const tmp = join(parent, `.${id}.${randomBytes(6).toString('hex')}.tmp`);
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(data);
        await fh.sync();
      } catch (err) {
        await fh.close();
        await unlink(tmp).catch(() => undefined);
        throw err;
      }
      await fh.close();
      await rename(tmp, target);
      await fsyncDir(parent);
      return { id, size: data.length };
    },

    async has(id: string) {
      if (!BLOB_ID.test(id)) return false;
      try {
        await stat(pathOf(id));
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
    },

    createReadStream(id: string, range?: { start?: number; end?: number }): Readable {
      if (!BLOB_ID.test(id)) {
        // Never let a hostile id reach the file system as a path.
        const r = new Readable({ read() {} });
        process.nextTick(() => r.destroy(enoent(id)));
        return r;
      }
      const start = Math.max(0, range?.start ?? 0);
      const end = range?.end;
      if (end !== undefined && end <= start) return Readable.from([]);
      // fs end is inclusive; the port's end is exclusive.
      return fsCreateReadStream(pathOf(id), end === undefined ? { start } : { start, end: end - 1 });
    },

    async *listIdle(idleMs: number, now = Date.now()) {
      const cutoff = now - idleMs;
      const hex2 = /^[0-9a-f]{2}$/;
      const level1 = await readdir(dir).catch(() => [] as string[]);
      for (const a of level1.filter((n) => hex2.test(n)).sort()) {
        const level2 = await readdir(join(dir, a)).catch(() => [] as string[]);
        for (const b of level2.filter((n) => hex2.test(n)).sort()) {
          const leaf = join(dir, a, b);
          for (const name of await readdir(leaf).catch(() => [] as string[])) {
            const st = await stat(join(leaf, name)).catch(() => null);
            if (!st || st.mtimeMs >= cutoff) continue;
            if (BLOB_ID.test(name)) yield name;
            else if (name.endsWith('.tmp')) await unlink(join(leaf, name)).catch(() => undefined);
          }
        }
      }
    },

    async delete(id: string, opts?: { ifIdleFor?: number }) {
      if (!BLOB_ID.test(id)) return;
      try {
        if (opts?.ifIdleFor) {
          const st = await stat(pathOf(id));
          if (st.mtimeMs > Date.now() - opts.ifIdleFor) return;
        }
        await unlink(pathOf(id));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },
  };
}
