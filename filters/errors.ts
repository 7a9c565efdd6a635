import { SmtpError, SmtpReplies } from '../domain/index.js';

/**
 * A configured filter could not give an answer (daemon down, slow, or talking nonsense). The
 * delivery pipeline applies HERON_FILTER_FAILURE to it: 451 4.7.0 (the default) or delivery
 * marked as not scanned. It is an SmtpError carrying 451 4.7.0 so a caller that knows nothing of
 * the policy still answers with a temporary failure and never loses or silently passes mail.
 */
export class FilterUnavailableError extends SmtpError {
  readonly filter: string;
  /** For the log, not for the SMTP client: it may name internal hosts. */
  readonly detail: string;
  constructor(filter: string, detail: string, options?: { cause?: unknown }) {
    super(SmtpReplies.filterUnavailable);
    this.name = 'FilterUnavailableError';
    this.filter = filter;
    this.detail = `${filter}: ${detail}`;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

export function isFilterUnavailable(err: unknown): err is FilterUnavailableError {
  return err instanceof FilterUnavailableError;
}

/** Header values come from daemons; never let them inject lines into the message. */
export function headerSafe(value: string, max = 900): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\r\n\0]+/g, ' ').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '').trim();
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}
