import { SmtpReplies, type CheckContext, type MessageCheck, type Verdict } from '../../domain/index.js';
import { FilterUnavailableError, headerSafe } from '../errors.js';
import { clamdInstream, parseHostPort } from './instream.js';

export const CLAMAV_FILTER = 'clamav';

/**
 * What to do with a message larger than clamd will scan (its StreamMaxLength, or `maxScanBytes`).
 * Default `accept`: the message is delivered with `X-Virus-Scan: skipped (too large)`. A
 * tempfail would never succeed on retry (the size does not change), so the sender would retry for
 * days and then bounce; the real fix is keeping the MX size limit at or below StreamMaxLength.
 * `reject` answers 552 5.3.4 (RFC 3463: message too big for system).
 */
export type OversizePolicy = 'accept' | 'reject' | 'tempfail';

export interface ClamavCheckOptions {
  /** clamd TCP address `host:port` (HERON_CLAMD). */
  address: string;
  timeoutMs: number;
  oversize?: OversizePolicy;
  /** Skip streaming messages above this many bytes and apply `oversize` at once (0: always stream). */
  maxScanBytes?: number;
  /** Named in X-Virus-Scanned. */
  hostname: string;
}

export function createClamavCheck(opts: ClamavCheckOptions): MessageCheck {
  const addr = parseHostPort(opts.address);
  const oversize = opts.oversize ?? 'accept';
  const tooLarge = (why: string): Verdict => {
    const base = { filter: CLAMAV_FILTER, reason: `clamav: ${why}` };
    if (oversize === 'reject') {
      return { ...base, action: 'reject', reply: { ...SmtpReplies.messageTooBig, message: 'Message too large to scan for viruses' } };
    }
    if (oversize === 'tempfail') return { ...base, action: 'tempfail', reply: SmtpReplies.filterUnavailable };
    return { ...base, action: 'accept', headers: [['X-Virus-Scan', `skipped (${why}) by ${opts.hostname}`]] };
  };
  return {
    name: CLAMAV_FILTER,
    async check(ctx: CheckContext): Promise<Verdict> {
      if (opts.maxScanBytes && ctx.size > opts.maxScanBytes) return tooLarge('message too large to scan');
      let result;
      try {
        result = await clamdInstream(addr, ctx.openRaw(), opts.timeoutMs);
      } catch (err) {
        throw new FilterUnavailableError(CLAMAV_FILTER, (err as Error).message ?? String(err), { cause: err });
      }
      if (result.status === 'too-large') return tooLarge('over the scanner size limit');
      if (result.status === 'infected') {
        const virus = headerSafe(result.virus, 120);
        return {
          filter: CLAMAV_FILTER,
          action: 'reject',
          reply: { ...SmtpReplies.virusFound, message: `Message contains a virus (${virus})` },
          reason: `clamav: ${virus}`,
          headers: [['X-Virus-Status', `Infected (${virus})`]],
        };
      }
      return {
        filter: CLAMAV_FILTER,
        action: 'accept',
        headers: [['X-Virus-Scanned', `ClamAV at ${opts.hostname}`], ['X-Virus-Status', 'Clean']],
      };
    },
  };
}
