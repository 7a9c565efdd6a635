import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

/** What rspamd's /checkv2 answers (the fields Heron reads). */
export interface RspamdResult {
  action: string;
  score: number;
  required_score: number;
  symbols?: Record<string, { name: string; score?: number; options?: string[] }>;
  messages?: { smtp_message?: string };
  subject?: string;
  is_skipped?: boolean;
}

/** Transaction facts rspamd scores on, sent as request headers (rspamd protocol v2). */
export interface RspamdScanHeaders {
  ip?: string;
  helo?: string;
  /** Client's reverse-DNS name; passing it spares rspamd its own PTR lookup. */
  hostname?: string;
  from?: string;
  rcpt: string[];
  queueId?: string;
  /** Authenticated user (submission); rspamd then skips checks meant for strangers. */
  user?: string;
}

const MAX_ANSWER_BYTES = 1024 * 1024;
/** Bodies up to this size are read into memory first and sent with a Content-Length. */
const MAX_BUFFERED_BODY = 1024 * 1024;

/** Header values must be single-line text; envelope values already are, but never trust it. */
function safe(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\x00-\x1f\x7f]/g, '').slice(0, 998);
}

export function scanHeaders(h: RspamdScanHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (h.ip) out['Ip'] = safe(h.ip);
  if (h.helo) out['Helo'] = safe(h.helo);
  if (h.hostname) out['Hostname'] = safe(h.hostname);
  // The null reverse-path (bounces) is sent as "<>" so rspamd knows it is empty rather than unknown.
  if (h.from !== undefined) out['From'] = h.from === '' ? '<>' : safe(h.from);
  if (h.rcpt.length) out['Rcpt'] = h.rcpt.map(safe);
  if (h.queueId) out['Queue-Id'] = safe(h.queueId);
  if (h.user) out['User'] = safe(h.user);
  return out;
}

type Chunks = AsyncIterator<Buffer | string>;

const asBuffer = (chunk: Buffer | string): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk);

/** The body's bytes when it ends within `limit` (`rest` null), else those read so far and the rest. */
async function readUpTo(body: Readable, limit: number): Promise<{ head: Buffer; rest: Chunks | null }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const it: Chunks = (body as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  for (;;) {
    const next = await it.next();
    if (next.done) return { head: Buffer.concat(chunks), rest: null };
    chunks.push(asBuffer(next.value));
    size += chunks[chunks.length - 1]!.length;
    if (size > limit) return { head: Buffer.concat(chunks), rest: it };
  }
}

async function* prepend(head: Buffer, rest: Chunks): AsyncGenerator<Buffer> {
  yield head;
  // Through for-await so that an early end (an upload error) returns the iterator, which
  // destroys the source stream.
  for await (const chunk of { [Symbol.asyncIterator]: () => rest }) yield asBuffer(chunk);
}

/**
 * POSTs a body stream to an rspamd endpoint and returns the status and JSON answer. Rejects on
 * connection errors, non-2xx/208 answers, unparseable JSON, or when `timeoutMs` passes.
 */
export async function rspamdPost(
  url: URL,
  body: Readable,
  headers: Record<string, string | string[]>,
  timeoutMs: number,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    // A message that fits in memory goes out as headers and body in one write with a
    // Content-Length: a chunked upload costs a write and an event-loop turn per chunk plus one
    // for the terminating chunk, and rspamd starts scanning only after that (RFC 9112 7.1).
    const aborted = new Promise<never>((_, reject) => ac.signal.addEventListener('abort', () => reject(ac.signal.reason as Error), { once: true }));
    aborted.catch(() => undefined);
    const { head, rest } = await Promise.race([readUpTo(body, MAX_BUFFERED_BODY), aborted]);
    const req = request(url, { method: 'POST', headers: rest ? headers : { ...headers, 'Content-Length': String(head.length) }, signal: ac.signal });
    const answer = new Promise<IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
    });
    // rspamd may answer early (and close) on an error; the answer then wins over the upload error.
    let upload: Promise<unknown> = Promise.resolve();
    if (rest) upload = pipeline(Readable.from(prepend(head, rest)), req).catch((err: unknown) => err);
    else req.end(head);
    const res = await answer;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) throw new Error('answer too large');
      chunks.push(chunk);
    }
    await upload;
    const text = Buffer.concat(chunks).toString('utf8');
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error(`HTTP ${res.statusCode}: not JSON: ${text.slice(0, 200)}`);
    }
    const status = res.statusCode ?? 0;
    // 208 is rspamd's "already learned"; anything else outside 2xx is an error answer.
    if (status < 200 || status >= 300) {
      const error = typeof json.error === 'string' ? json.error : text.slice(0, 200);
      throw Object.assign(new Error(`HTTP ${status}: ${error}`), { status });
    }
    return { status, json };
  } catch (err) {
    if (ac.signal.aborted) throw ac.signal.reason as Error;
    throw err;
  } finally {
    clearTimeout(timer);
    // Read to the end on success; on a timeout or error this stops a read still under way.
    body.destroy();
  }
}

export function parseResult(json: Record<string, unknown>): RspamdResult {
  if (typeof json.action !== 'string' || typeof json.score !== 'number') {
    throw new Error(`unexpected /checkv2 answer: ${JSON.stringify(json).slice(0, 200)}`);
  }
  return json as unknown as RspamdResult;
}
