import { SmtpError, type CounterFactory, type RateCounter, type SmtpReply } from '../../domain/index.js';
import { createCounterFactory } from '../../limits/index.js';

/** 4xx, so a legitimate sender keeps the message and retries (RFC 5321 4.2.5). */
export const IP_RATE_LIMITED: SmtpReply = { code: 451, enhanced: '4.7.1', message: 'Too many messages from your address, try again later' };

/**
 * Messages per client address per minute, counted at MAIL FROM (before any DATA is read). The
 * counter comes from the process's counter factory: with Redis every MX node shares the count.
 */
export class IpMessageRate {
  readonly #counter: RateCounter | null;

  constructor(perMinute: number | undefined, counters: CounterFactory = createCounterFactory()) {
    this.#counter = perMinute && perMinute > 0 ? counters.counter('mx-ip', { points: perMinute, durationSec: 60 }) : null;
  }

  async take(ip: string): Promise<void> {
    if (this.#counter && (await this.#counter.hit(ip)).over) throw new SmtpError(IP_RATE_LIMITED);
  }
}
