import { authenticate, type DNSResolver } from 'mailauth';
import { SmtpReplies, type CheckContext, type MessageCheck, type Verdict } from '../../domain/index.js';
import { FilterUnavailableError, headerSafe } from '../errors.js';
import { splitHeaderBlock } from './header-block.js';

export const MAILAUTH_FILTER = 'mailauth';

export interface MailauthCheckOptions {
  /** authserv-id of the Authentication-Results header (RFC 8601 section 2.5): this server's name. */
  hostname: string;
  /** Injectable DNS (tests answer from a table); default: the system resolver. */
  resolver?: DNSResolver;
  timeoutMs: number;
  /** Reject DMARC failures whose policy is p=reject (default true); p=quarantine goes to Junk. */
  enforceDmarc?: boolean;
}

/**
 * SPF (RFC 7208), DKIM (RFC 6376), ARC (RFC 8617) and DMARC (RFC 7489) in one pass with mailauth.
 * Every message gets `Authentication-Results` (RFC 8601) and `Received-SPF` (RFC 7208 section 9.1).
 */
export function createMailauthCheck(opts: MailauthCheckOptions): MessageCheck {
  const enforce = opts.enforceDmarc ?? true;
  return {
    name: MAILAUTH_FILTER,
    async check(ctx: CheckContext): Promise<Verdict> {
      let timer: NodeJS.Timeout | undefined;
      let result: Awaited<ReturnType<typeof authenticate>>;
      const raw = ctx.openRaw();
      try {
        result = await Promise.race([
          authenticate(raw, {
            ip: ctx.session.remoteAddress,
            helo: ctx.session.heloName,
            sender: ctx.envelope.mailFrom,
            mta: opts.hostname,
            ...(opts.resolver ? { resolver: opts.resolver } : {}),
            disableBimi: true,
          }),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no result within ${opts.timeoutMs} ms`)), opts.timeoutMs);
          }),
        ]);
      } catch (err) {
        throw new FilterUnavailableError(MAILAUTH_FILTER, (err as Error).message ?? String(err), { cause: err });
      } finally {
        clearTimeout(timer);
        raw.destroy();
      }
      const headers = splitHeaderBlock(result.headers);
      const dmarc = result.dmarc || undefined;
      const dmarcResult = dmarc?.status?.result;
      const policy = typeof dmarc?.policy === 'string' ? dmarc.policy.toLowerCase() : undefined;
      const domain = headerSafe(String(dmarc?.domain ?? ''), 200);
      // Authenticated submission is the user's own mail: their DMARC is for strangers claiming it.
      if (enforce && !ctx.session.user && dmarcResult === 'fail') {
        if (policy === 'reject') {
          return {
            filter: MAILAUTH_FILTER,
            action: 'reject',
            reply: { ...SmtpReplies.policyReject, message: `DMARC policy of ${domain} rejects unauthenticated mail` },
            reason: `dmarc=fail p=reject (${domain})`,
            headers,
          };
        }
        if (policy === 'quarantine') {
          return { filter: MAILAUTH_FILTER, action: 'junk', reason: `dmarc=fail p=quarantine (${domain})`, headers };
        }
      }
      return { filter: MAILAUTH_FILTER, action: 'accept', headers };
    },
  };
}
