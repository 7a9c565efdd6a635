import type { Logger } from 'pino';
import type { BlobStore, ContentSegment, LegacyMessages, PreparedMessage } from '../domain/index.js';

export interface LegacyUpgradeOptions {
  legacy: LegacyMessages;
  blobs: BlobStore;
  /** mail/mime's prepareMessage (the store may not import mail/). */
  prepare: (raw: Buffer, blobs: BlobStore) => Promise<PreparedMessage>;
  logger?: Logger;
  batch?: number;
}

async function bytesOf(content: readonly ContentSegment[], blobs: BlobStore): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const s of content) {
    if ('data' in s) parts.push(s.data);
    else for await (const chunk of blobs.createReadStream(s.blobId)) parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

/**
 * Rewrites messages stored before format 2 (imap-core MIME trees): their exact bytes, rebuilt by
 * the store, are parsed again by today's parser and stored in today's form, with the same UID,
 * flags and dates. Runs at start, before any listener; a message that fails is logged and left
 * in the old form (still readable), and the next start tries it again.
 */
export async function upgradeLegacyMessages(opts: LegacyUpgradeOptions): Promise<{ upgraded: number; failed: number }> {
  const total = await opts.legacy.count();
  if (total === 0) return { upgraded: 0, failed: 0 };
  opts.logger?.info({ messages: total }, 'upgrading messages stored in the old format');
  let upgraded = 0;
  let failed = 0;
  let after: string | undefined;
  for (;;) {
    const page = await opts.legacy.list(opts.batch ?? 200, after);
    if (page.length === 0) break;
    for (const m of page) {
      after = m.messageId;
      try {
        const raw = await bytesOf(m.content, opts.blobs);
        await opts.legacy.rewrite(m.messageId, await opts.prepare(raw, opts.blobs));
        upgraded++;
      } catch (err) {
        failed++;
        opts.logger?.error({ err, messageId: m.messageId }, 'message left in the old format');
      }
    }
  }
  opts.logger?.info({ upgraded, failed }, 'message upgrade finished');
  return { upgraded, failed };
}
