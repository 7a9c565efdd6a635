import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobStore } from '../../domain/index.js';

/** A BlobStore in memory, for codec tests that need no disk. Counts puts to check dedup. */
export function createMemoryBlobStore(): BlobStore & { puts: number; blobs: Map<string, Buffer> } {
  const blobs = new Map<string, Buffer>();
  const store = {
    puts: 0,
    blobs,
    async put(data: Buffer) {
      store.puts++;
      const id = createHash('sha256').update(data).digest('hex');
      if (!blobs.has(id)) blobs.set(id, Buffer.from(data));
      return { id, size: data.length };
    },
    async has(id: string) {
      return blobs.has(id);
    },
    createReadStream(id: string, range?: { start?: number; end?: number }) {
      const b = blobs.get(id);
      if (!b) {
        const err = Object.assign(new Error('blob not found'), { code: 'ENOENT' });
        return new Readable({ read() { this.destroy(err); } });
      }
      const part = b.subarray(range?.start ?? 0, range?.end ?? b.length);
      // Several chunks, like a file stream, to exercise the reader's chunk handling.
      const chunks: Buffer[] = [];
      for (let i = 0; i < part.length; i += 16384) chunks.push(part.subarray(i, i + 16384));
      return Readable.from(chunks);
    },
    async delete(id: string) {
      blobs.delete(id);
    },
  };
  return store;
}
