/**
 * IMAP URLs (RFC 5092) naming a message or part on this server, as CATENATE (RFC 4469) and
 * URLAUTH (RFC 4467) use them, and the URLAUTH access tokens: HMAC-SHA256 of the URL rump under
 * a key derived from the server secret, the mailbox and its key generation (RESETKEY starts a
 * new generation, invalidating every URL issued before).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { bodySectionLiteral, type FetchableMessage } from '../mime/index.js';
import { parseSectionText } from '../protocol/fetch-items.js';
import type { ImapLiteral, SectionSpec } from '../protocol/values.js';
import type { Mailbox } from '../../domain/index.js';
import type { ImapDeps } from '../session/deps.js';
import type { Session } from '../session/session.js';

export interface ImapUrl {
  user: string | null;
  host: string | null;
  mailbox: string;
  uidValidity: number | null;
  uid: number;
  section: SectionSpec | null;
  sectionText: string | null;
  partial: { origin: number; count: number } | null;
  expire: Date | null;
  /** URLAUTH access identifier (`submit+user`, `user+user`, `authuser`, `anonymous`). */
  access: string | null;
  mechanism: string | null;
  token: string | null;
  /** The URL up to and including `;URLAUTH=access`: what the token signs. */
  rump: string;
}

function pctDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function findKey(upper: string, key: string, from = 0): number {
  return upper.indexOf(key, from);
}

function nz(s: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(s)) return null;
  return Number(s);
}

/** Parses an absolute (`imap://user@host/...`) or server-relative (`/INBOX;UIDVALIDITY=...`) message URL. */
export function parseImapUrl(url: string): ImapUrl | null {
  if (url.length > 4096) return null;
  let rest = url;
  let user: string | null = null;
  let host: string | null = null;
  if (rest.slice(0, 7).toLowerCase() === 'imap://') {
    const slash = rest.indexOf('/', 7);
    if (slash < 0) return null;
    const server = rest.slice(7, slash);
    const at = server.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = server.slice(0, at);
      const semi = userinfo.indexOf(';');
      user = pctDecode(semi >= 0 ? userinfo.slice(0, semi) : userinfo);
      if (user === null) return null;
    }
    host = server.slice(at + 1).replace(/:\d+$/, '').toLowerCase();
    rest = rest.slice(slash);
  }
  if (!rest.startsWith('/')) return null;
  const upper = rest.toUpperCase();
  const uidAt = findKey(upper, '/;UID=');
  if (uidAt < 0) return null;
  let mailboxPart = rest.slice(1, uidAt);
  let uidValidity: number | null = null;
  const uvAt = findKey(mailboxPart.toUpperCase(), ';UIDVALIDITY=');
  if (uvAt >= 0) {
    uidValidity = nz(mailboxPart.slice(uvAt + 13));
    if (uidValidity === null) return null;
    mailboxPart = mailboxPart.slice(0, uvAt);
  }
  const mailbox = pctDecode(mailboxPart);
  if (mailbox === null || !mailbox) return null;
  // After ";UID=": n, then optional /;SECTION=, /;PARTIAL=, ;EXPIRE=, ;URLAUTH=...
  const tail = rest.slice(uidAt + 6);
  const tailUpper = tail.toUpperCase();
  let end = tail.search(/[/;]/);
  if (end < 0) end = tail.length;
  const uid = nz(tail.slice(0, end));
  if (uid === null) return null;
  let section: SectionSpec | null = null;
  let sectionText: string | null = null;
  let partial: ImapUrl['partial'] = null;
  let expire: Date | null = null;
  let access: string | null = null;
  let mechanism: string | null = null;
  let token: string | null = null;
  let rumpEnd = url.length;
  let pos = end;
  while (pos < tail.length) {
    const sep = tailUpper.startsWith('/;', pos) ? 2 : tailUpper[pos] === ';' ? 1 : 0;
    if (!sep) return null;
    const keyStart = pos + sep;
    const eq = tail.indexOf('=', keyStart);
    if (eq < 0) return null;
    const key = tailUpper.slice(keyStart, eq);
    let next = tail.length;
    for (let i = eq + 1; i < tail.length; i++) {
      if (tail[i] === ';' || (tail[i] === '/' && tail[i + 1] === ';')) {
        next = i;
        break;
      }
    }
    const value = tail.slice(eq + 1, next);
    if (key === 'SECTION') {
      sectionText = pctDecode(value);
      section = sectionText === null ? null : parseSectionText(sectionText);
      if (!section) return null;
    } else if (key === 'PARTIAL') {
      const [o, c] = value.split('.');
      const origin = Number(o);
      const count = c === undefined ? 0 : Number(c);
      if (!/^\d+$/.test(o ?? '') || (c !== undefined && !/^[1-9]\d*$/.test(c))) return null;
      partial = { origin, count };
    } else if (key === 'EXPIRE') {
      expire = new Date(pctDecode(value) ?? '');
      if (Number.isNaN(expire.getTime())) return null;
    } else if (key === 'URLAUTH') {
      const parts = value.split(':');
      access = pctDecode(parts[0] ?? '');
      if (!access) return null;
      // The rump ends right after the access identifier.
      rumpEnd = url.length - (tail.length - (eq + 1 + (parts[0] ?? '').length));
      if (parts.length === 3) {
        mechanism = parts[1]!.toUpperCase();
        token = parts[2]!.toLowerCase();
      } else if (parts.length !== 1) return null;
    } else {
      return null;
    }
    pos = next;
  }
  return { user, host, mailbox, uidValidity, uid, section, sectionText, partial, expire, access, mechanism, token, rump: url.slice(0, rumpEnd) };
}

/** The URLAUTH token for a rump (RFC 4467 7: any algorithm the server chooses; here HMAC-SHA256). */
export async function urlAuthToken(deps: ImapDeps, box: Mailbox, rump: string): Promise<string> {
  const generation = await deps.mail.urlAuthGeneration(box.id);
  const key = createHmac('sha256', deps.urlAuthSecret).update(`${box.userId}:${box.id}:${box.uidValidity}:${generation}`).digest();
  return createHmac('sha256', key).update(rump).digest('hex');
}

/** May the session's user fetch a URL with this access identifier (RFC 4467 3)? */
function accessAllows(access: string, session: Session): boolean {
  const a = access.toLowerCase();
  if (a === 'anonymous' || a === 'authuser') return true;
  const me = session.user;
  if (!me) return false;
  const who = a.slice(a.indexOf('+') + 1);
  if (a.startsWith('user+') || a.startsWith('submit+')) return who === me.login.toLowerCase() || who === me.user.address.toLowerCase() || who === me.user.username.toLowerCase();
  return false;
}

/** Host names that are this server: its host name and the local mail domains. */
async function isOurHost(deps: ImapDeps, host: string): Promise<boolean> {
  return host === deps.hostname.toLowerCase() || host === 'localhost' || (await deps.users.isLocalDomain(host));
}

/** The mailbox a URL names and whether this session may read it; null when not (BADURL). */
export async function urlMailbox(session: Session, deps: ImapDeps, u: ImapUrl): Promise<Mailbox | null> {
  const me = session.user;
  if (!me) return null;
  if (u.host && !(await isOurHost(deps, u.host))) return null;
  let ownerId = me.id;
  if (u.user) {
    const owner = await deps.users.findUserByLogin(u.user);
    if (!owner) return null;
    ownerId = owner.id;
  }
  const box = await deps.mail.getMailbox(ownerId, u.mailbox);
  if (!box) return null;
  if (u.uidValidity !== null && u.uidValidity !== box.uidValidity) return null;
  if (u.token) {
    if (u.mechanism !== 'INTERNAL' || !u.access || !accessAllows(u.access, session)) return null;
    if (u.expire && u.expire.getTime() < Date.now()) return null;
    const want = Buffer.from(await urlAuthToken(deps, box, u.rump), 'hex');
    const got = Buffer.from(/^[0-9a-f]+$/.test(u.token) ? u.token : '', 'hex');
    if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
  } else if (ownerId !== me.id) {
    // Without URLAUTH only one's own messages can be named.
    return null;
  }
  return box;
}

export interface UrlTarget {
  url: ImapUrl;
  message: FetchableMessage;
}

/** The message a URL names, if this session may read it. */
export async function resolveUrl(session: Session, deps: ImapDeps, url: string, opts: { requireAuth?: boolean } = {}): Promise<UrlTarget | null> {
  const u = parseImapUrl(url);
  if (!u || (opts.requireAuth && !u.token)) return null;
  const box = await urlMailbox(session, deps, u);
  if (!box) return null;
  let found = null;
  for await (const m of deps.mail.getMessages(box.id, [u.uid], { fields: ['structure', 'content'] })) found = m;
  if (!found?.structure || !found.content) return null;
  return { url: u, message: { structure: found.structure, content: found.content, blobs: deps.blobs } };
}

/** The whole of a literal, in memory (URL data is bounded by the message size limit). */
export async function literalBytes(lit: ImapLiteral): Promise<Buffer> {
  const src = lit.literal;
  if (Buffer.isBuffer(src)) return src;
  const chunks: Buffer[] = [];
  for await (const c of src.open() as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** The bytes a URL names (the whole message, a section, a partial range), or null. */
export async function fetchUrl(session: Session, deps: ImapDeps, url: string, opts: { forCatenate?: boolean } = {}): Promise<Buffer | null> {
  const t = await resolveUrl(session, deps, url);
  if (!t) return null;
  // RFC 4469 5: a CATENATE URL without URLAUTH must be the user's own; with URLAUTH, valid.
  if (opts.forCatenate && t.url.access && !t.url.token) return null;
  let data = await literalBytes(await bodySectionLiteral(t.message, t.url.section ?? { part: [] }, null));
  if (t.url.partial) data = data.subarray(t.url.partial.origin, t.url.partial.count ? t.url.partial.origin + t.url.partial.count : undefined);
  return data;
}
