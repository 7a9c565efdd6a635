import type { BlobStore, PreparedMessage } from '../../domain/index.js';
import { storeParsed } from '../mime/index.js';
import type { ParsePool } from './parse-pool.js';

/**
 * mail/mime's prepareMessage split across threads: the pure parse on a pool worker, the I/O half
 * (blob writes) on the calling thread, which also commits to the store afterwards. Same
 * signature as prepareMessage, so the delivery pipeline takes it as its `prepareMessage`.
 */
export function pooledPrepare(pool: ParsePool, opts: { blobThreshold?: number } = {}) {
  return async (raw: Buffer, blobs: BlobStore): Promise<PreparedMessage> => storeParsed(await pool.parse(raw), blobs, opts);
}
