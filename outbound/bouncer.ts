import type { Logger } from 'pino';
import type { BlobStore, MailStore, PreparedMessage, UserStore } from '../domain/index.js';
import type { QueueEntry, QueueStore } from '../domain/queue.js';
import { buildDsn, type DsnRecipient } from './dsn.js';

export interface Bouncer {
  /** Resolves once the report is durable (delivered locally or queued), so the entry may go. */
  bounce(entry: QueueEntry, original: Buffer, failed: DsnRecipient[], reason: 'failed' | 'expired'): Promise<void>;
}

export interface BouncerOptions {
  users: UserStore;
  mail: MailStore;
  blobs: BlobStore;
  prepareMessage: (raw: Buffer, blobs: BlobStore) => Promise<PreparedMessage>;
  queue: QueueStore;
  hostname: string;
  logger: Logger;
}

/**
 * Returns undeliverable mail to its sender as an RFC 3464 report: straight into a local
 * sender's INBOX, or through the queue (from the null sender) to a remote one. Reports and
 * auto-replies are never bounced, nor is mail from the null sender (RFC 3464 2, RFC 5321 4.5.5).
 */
export function createBouncer(opts: BouncerOptions): Bouncer {
  return {
    async bounce(entry, original, failed, reason) {
      const log = opts.logger.child({ queueId: entry.id });
      if (entry.sender === '' || entry.kind !== 'mail' || failed.length === 0) {
        log.info({ event: 'bounce_dropped', kind: entry.kind, recipients: failed.map((f) => f.recipient) }, 'undeliverable report or auto-reply dropped');
        return;
      }
      const dsn = buildDsn({ hostname: opts.hostname, to: entry.sender, arrivalDate: entry.createdAt, recipients: failed, original, reason });
      const local = await opts.users.resolveAddress(entry.sender);
      if (local) {
        const prepared = await opts.prepareMessage(dsn, opts.blobs);
        await opts.mail.deliver(prepared, [{ userId: local.userId, mailbox: { specialUse: '\\Inbox' } }]);
        log.info({ event: 'bounce', to: entry.sender, local: true, recipients: failed.map((f) => f.recipient), reason }, 'bounce delivered');
        return;
      }
      await opts.queue.enqueue({ sender: '', recipients: [entry.sender], raw: dsn, kind: 'dsn' });
      log.info({ event: 'bounce', to: entry.sender, local: false, recipients: failed.map((f) => f.recipient), reason }, 'bounce queued');
    },
  };
}
