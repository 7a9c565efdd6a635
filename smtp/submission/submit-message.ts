import { randomBytes } from 'node:crypto';
import {
  SmtpError,
  SmtpReplies,
  type CheckRecipient,
  type Envelope,
  type SessionInfo,
} from '../../domain/index.js';
import { rfc5322Date } from '../../mail/delivery/received-header.js';
import { signMessage } from '../../outbound/dkim-sign.js';
import { firstMsgId } from '../../outbound/message-headers.js';
import { headerValue, type HeaderBlock } from '../../mail/mime/header-block.js';
import { normalizeLineEnds } from '../../mail/mime/line-ends.js';
import { checkedHeader, withoutFields } from './header-rules.js';
import { splitAddress } from '../common/address.js';
import { assertOwnsSender } from './owned-addresses.js';
import { SUBMISSION_REPLIES, SubmissionRateLimits } from './rate-limits.js';
import { SUBMISSION_LIMIT_DEFAULTS, type SubmitterOptions } from './submission-options.js';

export interface SubmitInput {
  user: { id: string; address: string };
  envelope: Envelope;
  raw: Buffer;
  /** The SMTP session, when there is one (Received header, logs). */
  session?: SessionInfo;
}

export interface SubmitResult {
  /** The Message-ID header value, angle brackets included. */
  messageId: string;
  /** Remote recipients now in the outbound queue. */
  queued: string[];
  /** Local recipients delivered. */
  delivered: string[];
}

export interface Submitter {
  /** For the REST API: checks rate limits too. Throws SmtpError (553 5.7.1, 550 5.1.1, 451 ...). */
  submitMessage(input: SubmitInput): Promise<SubmitResult>;
  /** The SMTP listener's path; it applied the rate limits at MAIL/RCPT already. */
  submitChecked(input: SubmitInput): Promise<SubmitResult>;
  /** Splits recipients; unknown users of local domains are refused (550 5.1.1). */
  classify(rcptTo: string[]): Promise<{ local: CheckRecipient[]; remote: string[] }>;
  readonly limits: SubmissionRateLimits;
}

/**
 * The MSA core shared by SMTP submission and the API (RFC 6409): sender ownership, Message-ID
 * and Date when missing (RFC 6409 8.2, 8.3), Bcc removed from what is transmitted, DKIM signature,
 * local delivery through the pipeline, remote recipients into the durable queue, and one copy in
 * the sender's Sent mailbox. Resolves only when every copy it promises is committed.
 */
export function createSubmitter(opts: SubmitterOptions): Submitter {
  const limitsCfg = { ...SUBMISSION_LIMIT_DEFAULTS, ...opts.limits };
  const limits = new SubmissionRateLimits(limitsCfg, opts.counters);
  const log = opts.logger.child({ component: 'submission' });

  async function classify(rcptTo: string[]): Promise<{ local: CheckRecipient[]; remote: string[] }> {
    const local: CheckRecipient[] = [];
    const remote: string[] = [];
    for (const r of rcptTo) {
      const parts = splitAddress(r);
      if (!parts) throw new SmtpError(SmtpReplies.badRecipientSyntax);
      if (await opts.users.isLocalDomain(parts.domain)) {
        const resolved = await opts.users.resolveAddress(`${parts.local}@${parts.domain}`);
        if (!resolved) throw new SmtpError(SmtpReplies.unknownUser, `Unknown local user <${r.slice(0, 200)}>`);
        local.push({ address: r, userId: resolved.userId });
      } else {
        remote.push(r);
      }
    }
    return { local, remote };
  }

  /** RFC 6409 8.2/8.3: an MSA may add Message-ID and Date; we need the id for Sent de-duplication. */
  function completeHeaders(raw: Buffer, block: HeaderBlock, fromDomain: string): { raw: Buffer; messageId: string } {
    let prefix = '';
    let messageId = firstMsgId(headerValue(block, 'Message-ID'));
    if (!messageId) {
      messageId = `<${Date.now().toString(36)}.${randomBytes(12).toString('hex')}@${fromDomain || opts.hostname}>`;
      prefix += `Message-ID: ${messageId}\r\n`;
    }
    if (!headerValue(block, 'Date')) prefix += `Date: ${rfc5322Date(new Date())}\r\n`;
    return { raw: prefix ? Buffer.concat([Buffer.from(prefix, 'latin1'), raw]) : raw, messageId };
  }

  async function deliverLocal(input: SubmitInput, recipients: CheckRecipient[], raw: Buffer, queueId: string): Promise<void> {
    {
      const session: SessionInfo = input.session ?? {
        id: `api-${queueId}`,
        remoteAddress: '127.0.0.1',
        clientHostname: 'localhost',
        heloName: 'api',
        secure: true,
      };
      const outcome = await opts.pipeline.deliver({
        queueId,
        envelope: { mailFrom: input.envelope.mailFrom, rcptTo: recipients.map((r) => r.address) },
        session: { ...session, user: { id: input.user.id, address: input.user.address } },
        recipients,
        raw,
        size: raw.length,
        transmissionType: input.session ? `ESMTP${input.session.secure ? 'S' : ''}A` : 'HTTP',
      });
      if (outcome.reply.code >= 300) throw new SmtpError(outcome.reply);
    }
  }

  async function storeSentCopy(userId: string, raw: Buffer, messageId: string): Promise<void> {
    const sent = await opts.mail.getSpecialMailbox(userId, '\\Sent');
    if (!sent) return;
    // A client that APPENDs to Sent itself may have done so already (or do it later).
    if ((await opts.mail.findByMessageIdHeader(sent.id, messageId)) !== null) return;
    const prepared = await opts.prepareMessage(raw, opts.blobs);
    await opts.mail.append(userId, sent.id, prepared, { flags: ['\\Seen'] });
  }

  async function submitChecked(input: SubmitInput): Promise<SubmitResult> {
    const queueId = randomBytes(9).toString('base64url');
    const ilog = log.child({ queueId, user: input.user.id });
    if (input.envelope.rcptTo.length === 0) throw new SmtpError(SmtpReplies.badRecipientSyntax, 'No recipients');
    // Issue 9, one header model: bare CR and bare LF become CRLF first, so the fields checked
    // here are the fields signed, stored and relayed; every field is looked at (no size window).
    const raw = normalizeLineEnds(input.raw);
    const block = checkedHeader(raw);
    const from = await assertOwnsSender(opts.users, input.user.id, input.envelope.mailFrom, block);
    const fromDomain = splitAddress(from[0] ?? input.envelope.mailFrom)?.domain ?? '';
    const { local, remote } = await classify(input.envelope.rcptTo);

    const { raw: full, messageId } = completeHeaders(raw, block, fromDomain);
    // RFC 5322 3.6.3: Bcc recipients must not be visible to the others.
    const wire = await signMessage(withoutFields(full, 'bcc'), fromDomain, opts.getDkimKey, ilog);

    if (local.length) await deliverLocal(input, local, wire, queueId);
    if (remote.length) {
      await opts.queue.enqueue({ sender: input.envelope.mailFrom, recipients: remote, raw: wire, userId: input.user.id, kind: 'mail' });
      opts.onQueued?.();
    }
    try {
      await storeSentCopy(input.user.id, full, messageId);
    } catch (err) {
      // The mail itself is sent; a missing Sent copy must not make the client send it twice.
      ilog.error({ err }, 'storing the Sent copy failed');
    }
    ilog.info({ event: 'submitted', messageId, local: local.map((r) => r.address), remote, size: wire.length }, 'message submitted');
    return { messageId, queued: remote, delivered: local.map((r) => r.address) };
  }

  return {
    async submitMessage(input) {
      await limits.message(input.user.id);
      await limits.recipients(input.user.id, input.envelope.rcptTo.length);
      return submitChecked(input);
    },
    submitChecked,
    classify,
    limits,
  };
}

export { SUBMISSION_REPLIES };
