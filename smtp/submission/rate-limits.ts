import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { SmtpError, type SmtpReply } from '../../domain/index.js';
import type { SubmissionLimits } from './submission-options.js';

export const SUBMISSION_REPLIES = {
  rateLimited: { code: 451, enhanced: '4.7.1', message: 'Sending rate limit exceeded, try again later' },
  authFailed: { code: 535, enhanced: '5.7.8', message: 'Authentication credentials invalid' },
  authThrottled: { code: 454, enhanced: '4.7.0', message: 'Too many failed logins, try again later' },
  noFrom: { code: 550, enhanced: '5.6.0', message: 'Message has no From header' },
  localTempFailure: { code: 451, enhanced: '4.3.0', message: 'Could not deliver to local recipients, try again later' },
} as const satisfies Record<string, SmtpReply>;

/**
 * Per-user sending limits and per-address login failure limits, in memory (one node). Over the
 * limit is a 4xx: the client keeps the message and tries later (RFC 5321 4.2.5).
 */
export class SubmissionRateLimits {
  readonly #messages: RateLimiterMemory;
  readonly #recipients: RateLimiterMemory;
  readonly #authFailures: RateLimiterMemory;

  constructor(limits: Pick<SubmissionLimits, 'messagesPerHour' | 'recipientsPerHour' | 'authFailuresPerIp'>) {
    this.#messages = new RateLimiterMemory({ keyPrefix: 'sub-msg', points: limits.messagesPerHour, duration: 3600 });
    this.#recipients = new RateLimiterMemory({ keyPrefix: 'sub-rcpt', points: limits.recipientsPerHour, duration: 3600 });
    this.#authFailures = new RateLimiterMemory({ keyPrefix: 'sub-auth', points: limits.authFailuresPerIp, duration: 900 });
  }

  async message(userId: string): Promise<void> {
    await consume(this.#messages, userId, 1, SUBMISSION_REPLIES.rateLimited);
  }

  async recipients(userId: string, n: number): Promise<void> {
    await consume(this.#recipients, userId, n, SUBMISSION_REPLIES.rateLimited);
  }

  /** Throws 454 while the address is locked out. */
  async checkAuthAllowed(ip: string): Promise<void> {
    const res = await this.#authFailures.get(ip);
    if (res && res.remainingPoints <= 0) throw new SmtpError(SUBMISSION_REPLIES.authThrottled);
  }

  async authFailed(ip: string): Promise<void> {
    await this.#authFailures.penalty(ip, 1);
  }
}

async function consume(limiter: RateLimiterMemory, key: string, points: number, reply: SmtpReply): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw new SmtpError(reply);
    throw err;
  }
}
