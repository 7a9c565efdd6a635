import { SmtpError, type CounterFactory, type RateCounter, type SmtpReply } from '../../domain/index.js';
import { createCounterFactory } from '../../limits/index.js';
import type { SubmissionLimits } from './submission-options.js';

export const SUBMISSION_REPLIES = {
  rateLimited: { code: 451, enhanced: '4.7.1', message: 'Sending rate limit exceeded, try again later' },
  authFailed: { code: 535, enhanced: '5.7.8', message: 'Authentication credentials invalid' },
  authThrottled: { code: 454, enhanced: '4.7.0', message: 'Too many failed logins, try again later' },
  /** What Gmail answers once a second factor is on and app passwords are required. */
  appPasswordRequired: { code: 534, enhanced: '5.7.9', message: 'Application-specific password required' },
  noFrom: { code: 550, enhanced: '5.6.0', message: 'Message has no From header' },
  localTempFailure: { code: 451, enhanced: '4.3.0', message: 'Could not deliver to local recipients, try again later' },
} as const satisfies Record<string, SmtpReply>;

/**
 * Per-user sending limits and per-address login failure limits. Over the limit is a 4xx: the
 * client keeps the message and tries later (RFC 5321 4.2.5). The counters come from the
 * process's counter factory: with Redis every submission node shares them.
 */
export class SubmissionRateLimits {
  readonly #messages: RateCounter;
  readonly #recipients: RateCounter;
  readonly #authFailures: RateCounter;
  readonly #authLimit: number;

  constructor(limits: Pick<SubmissionLimits, 'messagesPerHour' | 'recipientsPerHour' | 'authFailuresPerIp'>, counters: CounterFactory = createCounterFactory()) {
    this.#messages = counters.counter('sub-msg', { points: limits.messagesPerHour, durationSec: 3600 });
    this.#recipients = counters.counter('sub-rcpt', { points: limits.recipientsPerHour, durationSec: 3600 });
    this.#authFailures = counters.counter('sub-auth', { points: limits.authFailuresPerIp, durationSec: 900 });
    this.#authLimit = limits.authFailuresPerIp;
  }

  async message(userId: string): Promise<void> {
    if ((await this.#messages.hit(userId)).over) throw new SmtpError(SUBMISSION_REPLIES.rateLimited);
  }

  async recipients(userId: string, n: number): Promise<void> {
    if ((await this.#recipients.hit(userId, n)).over) throw new SmtpError(SUBMISSION_REPLIES.rateLimited);
  }

  /** Throws 454 while the address is locked out. */
  async checkAuthAllowed(ip: string): Promise<void> {
    if ((await this.#authFailures.peek(ip)).count >= this.#authLimit) throw new SmtpError(SUBMISSION_REPLIES.authThrottled);
  }

  async authFailed(ip: string): Promise<void> {
    await this.#authFailures.hit(ip);
  }
}
