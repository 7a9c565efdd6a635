/**
 * CATENATE (RFC 4469): a message made of literal text and parts of messages the user already
 * has, named by IMAP URLs (RFC 5092) relative to this server.
 */
import type { CatenatePart } from '../protocol/commands.js';
import type { ImapDeps } from '../session/deps.js';
import { ImapCodes, ImapNo } from '../session/imap-error.js';
import type { Session } from '../session/session.js';
import { fetchUrl } from './imap-url.js';

export async function catenate(session: Session, deps: ImapDeps, parts: readonly CatenatePart[]): Promise<Buffer> {
  const out: Buffer[] = [];
  let size = 0;
  for (const p of parts) {
    const data = p.type === 'text' ? p.data : await fetchUrl(session, deps, p.url, { forCatenate: true });
    if (data === null) throw new ImapNo(ImapCodes.badUrl, `Bad URL ${p.type === 'url' ? p.url.slice(0, 100) : ''}`, p.type === 'url' ? JSON.stringify(p.url) : undefined);
    size += data.length;
    if (size > deps.limits.maxMessageSize) throw new ImapNo(ImapCodes.tooBig, 'Message too large');
    out.push(data);
  }
  return Buffer.concat(out, size);
}
