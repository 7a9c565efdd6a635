/**
 * The result of one delivery attempt for some recipients, in SMTP terms. `permanent` failures
 * bounce at once; temporary ones are retried until the queue entry expires.
 */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  /** RFC 3463 status for the DSN, e.g. 5.1.1 or 4.4.1. */
  readonly status: string;
  /** The remote reply as received (RFC 3464 Diagnostic-Code), if there was one. */
  readonly diagnostic: string | null;
  /** The host that answered (RFC 3464 Remote-MTA). */
  readonly remoteMta: string | null;

  constructor(message: string, opts: { permanent: boolean; status: string; diagnostic?: string | null; remoteMta?: string | null }) {
    super(message);
    this.name = 'DeliveryError';
    this.permanent = opts.permanent;
    this.status = opts.status;
    this.diagnostic = opts.diagnostic ?? null;
    this.remoteMta = opts.remoteMta ?? null;
  }
}

/** The enhanced code of a reply if it carries one (RFC 2034), else one derived from the basic code. */
export function statusFromReply(reply: string, code: number): string {
  const m = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply.trim());
  if (m && m[1]![0] === String(code)[0]) return m[1]!;
  return code >= 500 ? '5.0.0' : '4.0.0';
}
