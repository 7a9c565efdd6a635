import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  DEFAULT_PREFERENCES,
  SmtpError,
  SmtpReplies,
  type BlobStore,
  type CheckContext,
  type CheckRecipient,
  type DeliveryTarget,
  type MailStore,
  type MessageCheck,
  type Preferences,
  type PreferencesReader,
  type PreparedMessage,
  type UserStore,
} from '../../domain/index.js';
import { prepareMessage as mimePrepareMessage } from '../mime/index.js';
import { readSpoolWithPrefix } from '../spool/read-with-prefix.js';
import { renderHeaderField } from './added-headers.js';
import { combineVerdicts } from './combine-verdicts.js';
import { deliveryMetrics } from './delivery-metrics.js';
import { isSystemError } from './failure-kind.js';
import { receivedHeader, transmissionType } from './received-header.js';
import { runChecks } from './run-checks.js';
import { senderListed } from './sender-lists.js';
import type { DeliveryInput, DeliveryOutcome, DeliveryPipeline, FilterFailurePolicy, PrepareMessage } from './types.js';

export interface DeliveryPipelineOptions {
  users: UserStore;
  mail: MailStore;
  blobs: BlobStore;
  /** Content checks (filters/): each returns a Verdict. Order only decides header order. */
  checks: MessageCheck[];
  preferences?: PreferencesReader;
  /** Defaults to mail/mime's prepareMessage; injectable for tests. */
  prepareMessage?: PrepareMessage;
  hostname: string;
  logger: Logger;
  metrics: Registry;
  /** What a check that throws or times out means: 451 4.7.0, or deliver marked X-Heron-Unscanned. */
  filterFailure: FilterFailurePolicy;
  /** Per check; default 30 s (RFC 5321 4.5.3.2.6 gives the client 10 minutes after the dot). */
  checkTimeoutMs?: number;
}

function spoolPathOf(input: DeliveryInput): string {
  if (!input.spoolPath) throw new Error('delivery input has neither raw bytes nor a spool file');
  return input.spoolPath;
}

/** RFC 5788 keyword for "tag" spam handling: the message stays in INBOX, marked. */
const JUNK_KEYWORD = '$Junk';

/**
 * Inbound delivery, maddy style: sender lists -> checks -> header modifiers -> one store
 * transaction for every recipient. Nothing is acknowledged until MailStore.deliver resolved.
 */
export function createDeliveryPipeline(opts: DeliveryPipelineOptions): DeliveryPipeline {
  const metrics = deliveryMetrics(opts.metrics);
  const timeoutMs = opts.checkTimeoutMs ?? 30_000;
  const prepare: PrepareMessage = opts.prepareMessage ?? ((raw, blobs) => mimePrepareMessage(raw, blobs));

  async function preferencesOf(userId: string): Promise<Preferences> {
    return opts.preferences ? opts.preferences.getPreferences(userId) : DEFAULT_PREFERENCES;
  }

  async function deliver(input: DeliveryInput): Promise<DeliveryOutcome> {
    const started = process.hrtime.bigint();
    const log = opts.logger.child({ queueId: input.queueId, session: input.session.id });
    const done = (outcome: string, result: DeliveryOutcome): DeliveryOutcome => {
      metrics.outcomes.inc({ outcome });
      metrics.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
      log.info(
        { event: 'delivery', outcome, code: result.reply.code, enhanced: result.reply.enhanced, recipients: result.results?.length ?? 0, size: input.size },
        `delivery ${outcome}`,
      );
      return result;
    };

    // One copy per user even if the envelope names two of a user's addresses.
    const byUser = new Map<string, CheckRecipient>();
    for (const r of input.recipients) if (!byUser.has(r.userId)) byUser.set(r.userId, r);
    if (byUser.size === 0) return done('rejected', { reply: SmtpReplies.unknownUser });

    let prefs: Map<string, Preferences>;
    try {
      prefs = new Map(await Promise.all([...byUser.keys()].map(async (id) => [id, await preferencesOf(id)] as const)));
    } catch (err) {
      log.error({ err }, 'reading recipient preferences failed');
      return done('tempfail', { reply: SmtpReplies.tempFailure });
    }

    // Block lists apply before any scanning; a blocked recipient silently gets no copy unless
    // every recipient blocks the sender, which is then a plain policy rejection.
    const sender = input.envelope.mailFrom;
    const recipients = [...byUser.values()].filter((r) => !senderListed(sender, prefs.get(r.userId)!.blockSenders));
    if (recipients.length === 0) return done('blocked', { reply: SmtpReplies.policyReject });

    const ctx: CheckContext = {
      queueId: input.queueId,
      envelope: input.envelope,
      session: input.session,
      recipients,
      size: input.size,
      openRaw: () => (input.raw ? Readable.from([input.raw]) : createReadStream(spoolPathOf(input))),
    };
    const outcomes = await runChecks(opts.checks, ctx, timeoutMs);
    for (const o of outcomes) {
      if ('verdict' in o) metrics.verdicts.inc({ check: o.check, action: o.verdict.action });
      else {
        metrics.verdicts.inc({ check: o.check, action: 'error' });
        log.warn({ check: o.check, err: o.error }, 'check failed');
      }
    }
    const combined = combineVerdicts(outcomes, opts.filterFailure);
    if (combined.action === 'reject') return done('rejected', { reply: combined.reply!, verdicts: combined.verdicts });
    if (combined.action === 'tempfail') return done('tempfail', { reply: combined.reply!, verdicts: combined.verdicts });

    const targets: DeliveryTarget[] = recipients.map((r) => {
      const p = prefs.get(r.userId)!;
      const junk = combined.action === 'junk' && !senderListed(sender, p.allowSenders);
      if (!junk) {
        metrics.recipients.inc({ destination: 'inbox' });
        return { userId: r.userId, mailbox: { specialUse: '\\Inbox' } };
      }
      if (p.spamHandling === 'tag') {
        metrics.recipients.inc({ destination: 'tagged' });
        return { userId: r.userId, mailbox: { specialUse: '\\Inbox' }, flags: [JUNK_KEYWORD] };
      }
      metrics.recipients.inc({ destination: 'junk' });
      return { userId: r.userId, mailbox: { specialUse: '\\Junk' } };
    });

    // Newest trace first (RFC 5321 4.4): Received, then what the checks add.
    const date = new Date();
    let prefix = receivedHeader({
      session: input.session,
      hostname: opts.hostname,
      queueId: input.queueId,
      protocol: input.transmissionType ?? transmissionType(input.session),
      recipients: recipients.map((r) => r.address),
      date,
    });
    if (combined.unscanned.length > 0) prefix += renderHeaderField('X-Heron-Unscanned', combined.unscanned.join(', ')) ?? '';
    for (const [name, value] of combined.headers) prefix += renderHeaderField(name, value) ?? '';

    let prepared: PreparedMessage;
    try {
      const head = Buffer.from(prefix, 'utf8');
      const raw = input.raw ? Buffer.concat([head, input.raw]) : await readSpoolWithPrefix(spoolPathOf(input), head);
      prepared = await prepare(raw, opts.blobs);
    } catch (err) {
      // A refusal with its own reply (the parse queue is full: 451 4.3.2) is answered as is.
      if (err instanceof SmtpError && err.reply.code >= 400 && err.reply.code < 500) {
        log.warn({ reply: err.reply }, 'message refused while preparing');
        return done('tempfail', { reply: err.reply, verdicts: combined.verdicts });
      }
      if (isSystemError(err)) {
        log.error({ err }, 'preparing the message failed');
        return done('tempfail', { reply: SmtpReplies.tempFailure, verdicts: combined.verdicts });
      }
      log.warn({ err }, 'message structure could not be processed');
      return done('rejected', { reply: SmtpReplies.malformedMessage, verdicts: combined.verdicts });
    }
    try {
      const results = await opts.mail.deliver(prepared, targets, { internalDate: date });
      return done('delivered', { reply: SmtpReplies.ok, results, verdicts: combined.verdicts });
    } catch (err) {
      log.error({ err }, 'storing the message failed');
      return done('tempfail', { reply: SmtpReplies.tempFailure, verdicts: combined.verdicts });
    }
  }

  return { deliver };
}
