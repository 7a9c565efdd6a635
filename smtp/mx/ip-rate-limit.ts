import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { SmtpError, type SmtpReply } from '../../domain/index.js';

/** 4xx, so a legitimate sender keeps the message and retries (RFC 5321 4.2.5). */
export const IP_RATE_LIMITED: SmtpReply = { code: 451, enhanced: '4.7.1', message: 'Too many messages from your address, try again later' };

/**
 * Messages per client address per minute, counted at MAIL FROM (before any DATA is read).
 * In memory: one node's view, which is the right scope for a per-connection-source limit.
 */
export class IpMessageRate {
  readonly #limiter: RateLimiterMemory | null;

  constructor(perMinute: number | undefined) {
    this.#limiter = perMinute && perMinute > 0 ? new RateLimiterMemory({ keyPrefix: 'mx-ip', points: perMinute, duration: 60 }) : null;
  }

  async take(ip: string): Promise<void> {
    if (!this.#limiter) return;
    try {
      await this.#limiter.consume(ip, 1);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw new SmtpError(IP_RATE_LIMITED);
      throw err;
    }
  }
}
