import { open } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { BlobStore, MailStore, PreferencesReader, PreparedMessage, UserStore } from '../../domain/index.js';
import type { QueueStore } from '../../domain/queue.js';
import type { VacationLog } from '../../domain/vacation-log.js';
import type { DeliveryInput, DeliveryOutcome } from '../delivery/index.js';
import { signMessage, type GetDkimKey } from '../../outbound/dkim-sign.js';
import { headerBlock } from '../../outbound/message-headers.js';
import { autoReplyRefusal, inVacationWindow } from './auto-reply-rules.js';
import { buildVacationReply } from './vacation-message.js';

export interface VacationResponderOptions {
  preferences: PreferencesReader;
  log: VacationLog;
  queue: QueueStore;
  users: UserStore;
  mail: MailStore;
  blobs: BlobStore;
  prepareMessage: (raw: Buffer, blobs: BlobStore) => Promise<PreparedMessage>;
  logger: Logger;
  /** One reply per sender per this period; RFC 3834 2 suggests days (default 7). */
  periodMs?: number;
  getDkimKey?: GetDkimKey;
  /** The outbound worker's wake(). */
  onQueued?: () => void;
  now?: () => Date;
}

export interface VacationResponder {
  /** Call after a delivery; never throws (an auto-reply is not worth failing mail for). */
  afterDelivery(input: DeliveryInput, outcome: DeliveryOutcome): Promise<void>;
}

/** Up to the MX's header cap: every field is looked at (issue 9: no 64 KB window). */
async function readHeaderBlock(input: { raw?: Buffer; spoolPath?: string }, max = 1024 * 1024 + 4): Promise<string> {
  let head: Buffer;
  if (input.raw) {
    head = input.raw.subarray(0, max);
  } else {
    const fh = await open(input.spoolPath ?? '', 'r');
    try {
      const buf = Buffer.alloc(max);
      const { bytesRead } = await fh.read(buf, 0, max, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }
  return headerBlock(head);
}

/**
 * RFC 3834 vacation replies for users who turned them on: only for mail that reached the INBOX
 * (not Junk), once per sender per period (VacationLog), sent from the null sender (RFC 3834 3.3)
 * through the outbound queue, or straight into a local sender's INBOX.
 */
export function createVacationResponder(opts: VacationResponderOptions): VacationResponder {
  const periodMs = opts.periodMs ?? 7 * 86_400_000;
  const now = opts.now ?? (() => new Date());
  const log = opts.logger.child({ component: 'vacation' });

  async function replyFor(input: DeliveryInput, headers: string, userId: string, address: string): Promise<void> {
    const prefs = await opts.preferences.getPreferences(userId);
    const v = prefs.vacation;
    if (!v.enabled || !inVacationWindow(v.start, v.end, now())) return;
    const sender = input.envelope.mailFrom;
    if (sender.toLowerCase() === address.toLowerCase()) return;
    if (!(await opts.log.claimReply(userId, sender, periodMs, now()))) {
      log.debug({ userId, sender }, 'already replied this period');
      return;
    }
    const user = await opts.users.getUser(userId);
    let raw = buildVacationReply({ from: address, displayName: user?.displayName ?? '', to: sender, subject: v.subject, body: v.body, originalHeaders: headers, now: now() });
    if (opts.getDkimKey) raw = await signMessage(raw, address.slice(address.lastIndexOf('@') + 1), opts.getDkimKey, log);
    const local = await opts.users.resolveAddress(sender);
    if (local) {
      const prepared = await opts.prepareMessage(raw, opts.blobs);
      await opts.mail.deliver(prepared, [{ userId: local.userId, mailbox: { specialUse: '\\Inbox' } }]);
    } else {
      await opts.queue.enqueue({ sender: '', recipients: [sender], raw, userId, kind: 'vacation' });
      opts.onQueued?.();
    }
    log.info({ event: 'vacation_reply', userId, to: sender, local: !!local }, 'vacation reply sent');
  }

  return {
    async afterDelivery(input, outcome) {
      try {
        if (outcome.reply.code >= 300 || !outcome.results?.length) return;
        const headers = await readHeaderBlock(input);
        const refusal = autoReplyRefusal(input.envelope.mailFrom, headers);
        if (refusal) {
          log.debug({ sender: input.envelope.mailFrom, refusal }, 'no vacation reply');
          return;
        }
        for (const result of outcome.results) {
          const box = await opts.mail.getMailboxById(result.userId, result.mailboxId);
          if (box?.specialUse !== '\\Inbox') continue;
          const rcpt = input.recipients.find((r) => r.userId === result.userId);
          if (!rcpt) continue;
          await replyFor(input, headers, result.userId, rcpt.address.toLowerCase());
        }
      } catch (err) {
        log.error({ err, queueId: input.queueId }, 'vacation responder failed');
      }
    },
  };
}
