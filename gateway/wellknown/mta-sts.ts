import { createHash } from 'node:crypto';

export interface MtaStsSettings {
  mode: 'enforce' | 'testing' | 'none';
  /** Seconds (RFC 8461 3.2: up to 31557600). */
  maxAgeSec: number;
  /** The MX host names senders may deliver to. */
  mx: string[];
}

/** RFC 8461 3.2: the policy served at https://mta-sts.<domain>/.well-known/mta-sts.txt, CRLF lines. */
export function mtaStsPolicy(s: MtaStsSettings): string {
  const maxAge = Math.max(0, Math.min(31_557_600, Math.floor(s.maxAgeSec)));
  return ['version: STSv1', `mode: ${s.mode}`, ...s.mx.map((m) => `mx: ${m}`), `max_age: ${maxAge}`, ''].join('\r\n');
}

/**
 * RFC 8461 3.1: the `id` of the `_mta-sts` TXT record must change whenever the policy does;
 * derived from the policy text it changes exactly then (1-32 alphanumerics).
 */
export function mtaStsId(policy: string): string {
  return createHash('sha256').update(policy).digest('hex').slice(0, 20);
}
