import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { errorBody } from '../api-error.js';
import { domainOfHost } from './host-names.js';
import { parseAddress, type MailSettings } from './mail-settings.js';
import { autoconfigXml } from './autoconfig.js';
import { AUTODISCOVER_MAX_REQUEST, OUTLOOK_RESPONSE_SCHEMA, autodiscoverErrorXml, autodiscoverXml, readAutodiscoverRequest } from './autodiscover-xml.js';
import { autodiscoverJson } from './autodiscover-json.js';
import { MOBILECONFIG_TYPE, mobileconfig, mobileconfigFileName } from './mobileconfig.js';
import { mtaStsPolicy, type MtaStsSettings } from './mta-sts.js';

export interface WellKnownDeps {
  settings: MailSettings;
  isLocalDomain(domain: string): Promise<boolean>;
  mtaSts: Omit<MtaStsSettings, 'mx'>;
  /** ACME http-01 key authorization for a token (RFC 8555 8.3). */
  acmeChallenge?(token: string): Promise<string | undefined> | string | undefined;
  logger: Logger;
}

/** Answers a well-known request; resolves false when the path is none of them (the caller answers). */
export type WellKnownHandler = (req: IncomingMessage, res: ServerResponse, opts: { secure: boolean }) => Promise<boolean>;

const AUTOCONFIG_PATHS = new Set(['/mail/config-v1.1.xml', '/.well-known/autoconfig/mail/config-v1.1.xml']);
const AUTODISCOVER_XML = '/autodiscover/autodiscover.xml';
const AUTODISCOVER_JSON = '/autodiscover/autodiscover.json';
const MOBILECONFIG_PATHS = new Set(['/apple.mobileconfig', '/mail/apple.mobileconfig']);
const MTA_STS_PATH = '/.well-known/mta-sts.txt';
const ACME_PREFIX = '/.well-known/acme-challenge/';

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': status === 200 ? 'public, max-age=3600' : 'no-store',
    ...headers,
  });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json', JSON.stringify(errorBody(code, message)), headers);
}

/** The Host header without its port, or '' when it is not a plausible host name. */
function hostOf(req: IncomingMessage): string {
  const raw = (req.headers.host ?? '').toLowerCase();
  const host = raw.startsWith('[') ? raw.slice(0, raw.indexOf(']') + 1) : raw.replace(/:\d+$/, '');
  return /^[a-z0-9.[\]:-]{1,253}$/.test(host) ? host.replace(/\.$/, '') : '';
}

/** Reads at most `limit` bytes; null (and the connection closed after the answer) when the body is larger. */
async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The documents mail clients fetch to set themselves up from an address and a password, the
 * MTA-STS policy, and ACME http-01 answers. Nothing here reveals whether a user exists: answers
 * depend on the domain only.
 */
export function createWellKnownHandler(deps: WellKnownDeps): WellKnownHandler {
  const log = deps.logger.child({ component: 'wellknown' });
  const localDomain = async (domain: string | null | undefined): Promise<boolean> => !!domain && (await deps.isLocalDomain(domain));

  return async (req, res, { secure }) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendError(res, 400, 'bad_request', 'malformed request target');
      return true;
    }
    const path = url.pathname;
    const lower = path.toLowerCase();
    const method = req.method ?? 'GET';
    const readOnly = method === 'GET' || method === 'HEAD';
    const host = hostOf(req);

    if (path.startsWith(ACME_PREFIX)) {
      const answer = await deps.acmeChallenge?.(path.slice(ACME_PREFIX.length));
      if (!answer) sendError(res, 404, 'not_found', 'no such challenge');
      else send(res, 200, 'application/octet-stream', answer, { 'Cache-Control': 'no-store' });
      return true;
    }

    if (AUTOCONFIG_PATHS.has(path)) {
      if (!readOnly) {
        methodNotAllowed(res, 'GET, HEAD');
        return true;
      }
      const address = url.searchParams.get('emailaddress');
      const domain = address !== null ? parseAddress(address)?.domain : domainOfHost(host);
      if (!(await localDomain(domain))) {
        sendError(res, 404, 'unknown_domain', 'no mail settings for this domain');
        return true;
      }
      send(res, 200, 'application/xml; charset=utf-8', autoconfigXml(domain!, deps.settings));
      log.info({ event: 'autoconfig', domain }, 'autoconfig served');
      return true;
    }

    if (lower === AUTODISCOVER_XML) {
      if (method !== 'POST') {
        methodNotAllowed(res, 'POST');
        return true;
      }
      const type = String(req.headers['content-type'] ?? 'text/xml').split(';')[0]!.trim().toLowerCase();
      if (!['text/xml', 'application/xml', ''].includes(type)) {
        sendError(res, 415, 'unsupported_media_type', 'send the autodiscover request as text/xml');
        return true;
      }
      const body = await readBody(req, AUTODISCOVER_MAX_REQUEST);
      if (body === null) {
        sendError(res, 413, 'payload_too_large', `autodiscover requests are at most ${AUTODISCOVER_MAX_REQUEST} bytes`, { Connection: 'close' });
        return true;
      }
      const request = readAutodiscoverRequest(body);
      const parsed = parseAddress(request?.address);
      const xml = 'text/xml; charset=utf-8';
      if (!request || !parsed || !(await localDomain(parsed.domain))) {
        send(res, 200, xml, autodiscoverErrorXml(600, 'Invalid Request'), { 'Cache-Control': 'no-store' });
      } else if (request.responseSchema !== null && request.responseSchema !== OUTLOOK_RESPONSE_SCHEMA) {
        // ActiveSync's mobilesync schema and the like: Heron speaks IMAP and SMTP only.
        send(res, 200, xml, autodiscoverErrorXml(601, 'Provider is not available for the requested schema'), { 'Cache-Control': 'no-store' });
      } else {
        send(res, 200, xml, autodiscoverXml(parsed.address, deps.settings), { 'Cache-Control': 'no-store' });
        log.info({ event: 'autodiscover', domain: parsed.domain }, 'autodiscover served');
      }
      return true;
    }

    if (lower === AUTODISCOVER_JSON || lower.startsWith(`${AUTODISCOVER_JSON}/v1.0/`)) {
      if (!readOnly) {
        methodNotAllowed(res, 'GET, HEAD');
        return true;
      }
      const params = new Map([...url.searchParams].map(([k, v]) => [k.toLowerCase(), v]));
      const fromPath = lower === AUTODISCOVER_JSON ? null : safeDecode(path.slice(AUTODISCOVER_JSON.length + '/v1.0/'.length));
      const parsed = parseAddress(fromPath ?? params.get('email'));
      if (!parsed || !(await localDomain(parsed.domain))) {
        sendError(res, 404, 'unknown_domain', 'no mail settings for this address');
        return true;
      }
      const answer = autodiscoverJson(params.get('protocol') ?? null, `https://${deps.settings.hostname}${AUTODISCOVER_XML}`);
      send(res, answer.status, 'application/json; charset=utf-8', JSON.stringify(answer.body), { 'Cache-Control': 'no-store' });
      return true;
    }

    if (MOBILECONFIG_PATHS.has(path)) {
      if (!readOnly) {
        methodNotAllowed(res, 'GET, HEAD');
        return true;
      }
      const parsed = parseAddress(url.searchParams.get('emailaddress') ?? url.searchParams.get('email'));
      if (!parsed) {
        sendError(res, 400, 'invalid_address', 'give the address as ?emailaddress=you@example.com');
        return true;
      }
      if (!(await localDomain(parsed.domain))) {
        sendError(res, 404, 'unknown_domain', 'no mail settings for this address');
        return true;
      }
      send(res, 200, MOBILECONFIG_TYPE, mobileconfig(parsed.address, deps.settings), {
        'Content-Disposition': `attachment; filename="${mobileconfigFileName(parsed.address)}"`,
        'Cache-Control': 'no-store',
      });
      return true;
    }

    if (path === MTA_STS_PATH) {
      if (!readOnly) {
        methodNotAllowed(res, 'GET, HEAD');
        return true;
      }
      // RFC 8461 3.3: the policy is fetched over HTTPS from mta-sts.<domain> only.
      if (!secure) {
        sendError(res, 404, 'not_found', 'the MTA-STS policy is served over HTTPS only');
        return true;
      }
      const m = /^mta-sts\.(.+)$/.exec(host);
      if (!m || !(await localDomain(m[1]))) {
        sendError(res, 404, 'unknown_domain', 'no MTA-STS policy for this host');
        return true;
      }
      // RFC 8461 3.3: text/plain, and no redirects.
      send(res, 200, 'text/plain; charset=utf-8', mtaStsPolicy({ ...deps.mtaSts, mx: [deps.settings.hostname] }));
      return true;
    }
    return false;
  };
}

/** A malformed escape (`%ZZ`) is no address, not an error. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendError(res, 405, 'method_not_allowed', `use ${allow}`, { Allow: allow });
}
