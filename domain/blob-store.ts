import type { Readable } from 'node:stream';

/**
 * Content-addressed blob storage (attachment bodies, large text parts). Ids are the SHA-256 hex
 * of the content, so identical attachments are stored once. Reference counts live in the
 * MailStore; the BlobStore only keeps bytes.
 */
export interface BlobStore {
  /** Idempotent; resolves only once the bytes are durable (fsync'd). */
  put(data: Buffer): Promise<{ id: string; size: number }>;
  has(id: string): Promise<boolean>;
  /** Byte range is inclusive start, exclusive end. Errors with code 'ENOENT' if missing. */
  createReadStream(id: string, range?: { start?: number; end?: number }): Readable;
  /**
   * With `ifIdleFor`, deletes only if no put() touched the blob for that long: a message being
   * prepared may be about to reference the same content again.
   */
  delete(id: string, opts?: { ifIdleFor?: number }): Promise<void>;
}
