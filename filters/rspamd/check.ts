import type { CheckContext, MessageCheck, Verdict } from '../../domain/index.js';
import { FilterUnavailableError } from '../errors.js';
import { parseResult, rspamdPost, scanHeaders } from './client.js';
import { RSPAMD_FILTER, rspamdVerdict } from './verdict.js';

export interface RspamdCheckOptions {
  /** Normal worker base URL, e.g. http://127.0.0.1:11333 (HERON_RSPAMD_URL). */
  url: string;
  /** Whole-scan deadline; past it the scan counts as a filter failure. */
  timeoutMs: number;
}

/** Streams the raw message to rspamd's POST /checkv2 and maps its action to a Verdict. */
export function createRspamdCheck(opts: RspamdCheckOptions): MessageCheck {
  const endpoint = new URL('checkv2', opts.url.endsWith('/') ? opts.url : `${opts.url}/`);
  return {
    name: RSPAMD_FILTER,
    async check(ctx: CheckContext): Promise<Verdict> {
      const headers = scanHeaders({
        ip: ctx.session.remoteAddress,
        helo: ctx.session.heloName,
        hostname: reverseName(ctx.session.clientHostname, ctx.session.remoteAddress),
        from: ctx.envelope.mailFrom,
        rcpt: ctx.recipients.length ? ctx.recipients.map((r) => r.address) : ctx.envelope.rcptTo,
        queueId: ctx.queueId,
        ...(ctx.session.user ? { user: ctx.session.user.address } : {}),
      });
      try {
        const { json } = await rspamdPost(endpoint, ctx.openRaw(), headers, opts.timeoutMs);
        return rspamdVerdict(parseResult(json));
      } catch (err) {
        throw new FilterUnavailableError(RSPAMD_FILTER, (err as Error).message ?? String(err), { cause: err });
      }
    },
  };
}

/**
 * smtp-server reports a client without reverse DNS as "[ip]"; rspamd expects "unknown" then,
 * not a bracketed literal it would take for a name.
 */
function reverseName(clientHostname: string, ip: string): string {
  if (!clientHostname || clientHostname.startsWith('[') || clientHostname === ip) return 'unknown';
  return clientHostname;
}
