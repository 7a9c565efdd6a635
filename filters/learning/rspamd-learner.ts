import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Id, Mailbox, MoveObserver } from '../../domain/index.js';
import type { FilterMetrics } from '../metrics.js';
import { rspamdPost } from '../rspamd/client.js';

export type LoadRaw = (userId: Id, messageId: Id) => Promise<Buffer | Readable>;

export interface RspamdLearnerOptions {
  /** Controller base URL, e.g. http://127.0.0.1:11334 (HERON_RSPAMD_CONTROLLER_URL). */
  controllerUrl: string;
  /** Controller password (HERON_RSPAMD_PASSWORD); unset when rspamd trusts our address. */
  password?: string;
  loadRaw: LoadRaw;
  timeoutMs: number;
  logger: Logger;
  metrics: FilterMetrics;
  /** Pending messages beyond this are dropped with a warning: training is best effort. */
  maxQueue?: number;
}

export interface RspamdLearner extends MoveObserver {
  /** Resolves when everything queued so far has been sent (tests, graceful shutdown). */
  idle(): Promise<void>;
}

type LearnClass = 'spam' | 'ham';

/**
 * Which training a move means: into Junk teaches spam; out of Junk into anything but Trash teaches
 * ham (deleting spam from Junk says nothing about it). Junk is found by special-use (RFC 6154).
 */
export function learnClassForMove(from: Mailbox, to: Mailbox): LearnClass | null {
  const fromJunk = from.specialUse === '\\Junk';
  const toJunk = to.specialUse === '\\Junk';
  if (toJunk && !fromJunk) return 'spam';
  if (fromJunk && !toJunk && to.specialUse !== '\\Trash') return 'ham';
  return null;
}

/**
 * Teaches rspamd's Bayes classifier from users' Junk moves via the controller's /learnspam and
 * /learnham. Fire-and-forget: messagesMoved returns at once, work runs one message at a time
 * in the background, and failures are logged and counted, never thrown to the mover.
 */
export function createRspamdLearner(opts: RspamdLearnerOptions): RspamdLearner {
  const base = opts.controllerUrl.endsWith('/') ? opts.controllerUrl : `${opts.controllerUrl}/`;
  const maxQueue = opts.maxQueue ?? 1000;
  const queue: Array<{ userId: Id; messageId: Id; cls: LearnClass }> = [];
  let running: Promise<void> | null = null;

  async function learnOne(job: { userId: Id; messageId: Id; cls: LearnClass }): Promise<void> {
    const log = opts.logger.child({ userId: job.userId, messageId: job.messageId, learn: job.cls });
    try {
      const raw = await opts.loadRaw(job.userId, job.messageId);
      const body = Buffer.isBuffer(raw) ? Readable.from([raw]) : raw;
      const headers: Record<string, string> = {};
      if (opts.password) headers['Password'] = opts.password;
      const { status } = await rspamdPost(new URL(`learn${job.cls}`, base), body, headers, opts.timeoutMs);
      // 208: rspamd already learned this message (as this class); nothing to do.
      const outcome = status === 208 ? 'already' : 'ok';
      opts.metrics.learned.inc({ class: job.cls, outcome });
      log.debug({ outcome }, 'rspamd learned');
    } catch (err) {
      const msg = (err as Error).message ?? String(err);
      // rspamd answers "already learned" as an error on some versions: not a failure.
      const outcome = /already learned/i.test(msg) ? 'already' : 'error';
      opts.metrics.learned.inc({ class: job.cls, outcome });
      if (outcome === 'error') log.warn({ err: msg }, 'rspamd learning failed');
    }
  }

  function drain(): Promise<void> {
    running ??= (async () => {
      // Bounded: each turn removes one job; new jobs appended meanwhile are picked up too.
      for (let job = queue.shift(); job; job = queue.shift()) await learnOne(job);
      running = null;
    })();
    return running;
  }

  return {
    messagesMoved(event) {
      try {
        const cls = learnClassForMove(event.from, event.to);
        if (!cls) return;
        for (const messageId of event.messageIds) {
          if (queue.length >= maxQueue) {
            opts.metrics.learned.inc({ class: cls, outcome: 'dropped' });
            opts.logger.warn({ userId: event.userId, messageId }, 'rspamd learning queue full: dropped');
            continue;
          }
          queue.push({ userId: event.userId, messageId, cls });
        }
        void drain();
      } catch (err) {
        opts.logger.warn({ err }, 'rspamd learning: bad move event');
      }
    },
    async idle() {
      while (running) await running;
    },
  };
}
