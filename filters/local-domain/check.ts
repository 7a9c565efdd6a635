import { BlockList, isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import type { CheckContext, GetDkimKey, MessageCheck, SmtpReply, Verdict } from '../../domain/index.js';
import { headerValues, splitHeader } from '../../mail/mime/header-block.js';
import { HeaderEndScanner } from '../../mail/spool/header-end.js';
import { fromDomains } from './from-domains.js';

export const LOCAL_DOMAIN_FILTER = 'local-domain';
export type LocalDomainMode = 'reject' | 'junk' | 'off';

/** RFC 7372 / RFC 3463: 5.7.1, delivery not authorised. */
export const LOCAL_DOMAIN_FORGED: SmtpReply = { code: 550, enhanced: '5.7.1', message: 'From claims a domain of this server, but the message was not sent through it' };

export interface LocalDomainCheckOptions {
  isLocalDomain(domain: string): Promise<boolean>;
  /** Heron's own signing keys: a signature that verifies with one of them was made here. */
  getDkimKey: GetDkimKey;
  /** Default for every local domain. */
  mode: LocalDomainMode;
  /** Per-domain overrides (lower-case domain -> mode). */
  domains?: Record<string, LocalDomainMode>;
  /** IPs or CIDRs allowed to send as a local domain (e.g. a web server of the same organisation). */
  trustedIps?: string[];
  /** Header bytes read looking for From (the MX caps headers anyway). */
  maxHeaderBytes?: number;
}

async function readHead(stream: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    // One scan over each byte (no re-split of the growing head per chunk): linear in the header.
    const end = new HeaderEndScanner();
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      end.push(chunk);
      if (end.done) return Buffer.concat(chunks, size);
      if (size >= max) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, size).subarray(0, max);
}

function trustedList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const e of entries) {
    const [ip, bits] = e.split('/');
    const family = isIP(ip ?? '') === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(ip ?? '')) continue;
    if (bits !== undefined) list.addSubnet(ip!, Number(bits), family);
    else list.addAddress(ip!, family);
  }
  return list;
}

/**
 * Local-domain protection (issue 9): Heron is the authority for its own domains, so mail from
 * outside whose From names one of them is forged unless it carries a DKIM signature made with
 * Heron's own key for that domain (verified against the key Heron holds, no DNS needed) that
 * covers From, or comes from a trusted address. Authenticated submission never gets here
 * (session.user). What happens to a forgery is per domain: 550 5.7.1, Junk, or nothing.
 */
export function createLocalDomainCheck(opts: LocalDomainCheckOptions): MessageCheck {
  const trusted = trustedList(opts.trustedIps ?? []);
  const maxHead = opts.maxHeaderBytes ?? 1024 * 1024;
  const modeOf = (domain: string): LocalDomainMode => opts.domains?.[domain] ?? opts.mode;

  /** TXT answers for Heron's own selector records only; everything else does not exist. */
  const ownKeys = async (name: string, rrtype: string): Promise<string[][]> => {
    const m = /^([^.]+)\._domainkey\.(.+?)\.?$/i.exec(name);
    const key = rrtype === 'TXT' && m ? await opts.getDkimKey(m[2]!.toLowerCase()) : null;
    if (!key || key.selector.toLowerCase() !== m![1]!.toLowerCase()) throw Object.assign(new Error(`no record ${name}`), { code: 'ENOTFOUND' });
    return [[`v=DKIM1; k=rsa; p=${key.publicKeyBase64}`]];
  };

  async function signedHere(ctx: CheckContext, domains: Set<string>): Promise<boolean> {
    const result = await dkimVerify(ctx.openRaw(), { resolver: ownKeys as never });
    return result.results.some(
      (r: { status?: { result?: string }; signingDomain?: string; signingHeaders?: { keys?: string } }) =>
        r.status?.result === 'pass' &&
        domains.has(String(r.signingDomain ?? '').toLowerCase()) &&
        String(r.signingHeaders?.keys ?? '').toLowerCase().split(':').map((k) => k.trim()).includes('from'),
    );
  }

  return {
    name: LOCAL_DOMAIN_FILTER,
    async check(ctx: CheckContext): Promise<Verdict> {
      const accept: Verdict = { filter: LOCAL_DOMAIN_FILTER, action: 'accept' };
      if (ctx.session.user) return accept;
      const head = await readHead(ctx.openRaw(), maxHead);
      const block = splitHeader(head);
      const claimed = new Set<string>();
      for (const d of fromDomains([...headerValues(block, 'From'), ...headerValues(block, 'Sender')])) {
        if (modeOf(d) !== 'off' && (await opts.isLocalDomain(d))) claimed.add(d);
      }
      if (claimed.size === 0) return accept;
      const ip = ctx.session.remoteAddress;
      if (isIP(ip) && trusted.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4')) return accept;
      const dkimClaimed = headerValues(block, 'DKIM-Signature').length > 0;
      if (dkimClaimed && (await signedHere(ctx, claimed))) return accept;
      const domain = [...claimed][0]!;
      const reason = `From names local domain ${domain}; not signed by this server and not from a trusted address`;
      if ([...claimed].some((d) => modeOf(d) === 'reject')) return { filter: LOCAL_DOMAIN_FILTER, action: 'reject', reply: LOCAL_DOMAIN_FORGED, reason };
      return { filter: LOCAL_DOMAIN_FILTER, action: 'junk', reason };
    },
  };
}
