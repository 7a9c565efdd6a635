/** Grammar of the commands that configure the session (RFC 3501 6.1-6.2, RFC 9051 6.3.1, extensions). */
import type { CommandBody, NotifyGroup, NotifyMailboxes } from './commands.js';
import type { Cursor } from './cursor.js';
import { parseFetchItems, type FetchItem } from './fetch-items.js';

export function parseAuthenticate(c: Cursor): CommandBody {
  c.sp();
  const mechanism = c.word();
  let initialResponse: string | null = null;
  // SASL-IR (RFC 4959): base64 or "=" for an empty response.
  if (c.trySp()) initialResponse = c.atom();
  return { name: 'AUTHENTICATE', mechanism, initialResponse };
}

export function parseLogin(c: Cursor): CommandBody {
  c.sp();
  const user = c.astringText();
  c.sp();
  return { name: 'LOGIN', user, password: c.astringText() };
}

export function parseEnable(c: Cursor): CommandBody {
  const capabilities: string[] = [];
  do {
    c.sp();
    c.count();
    capabilities.push(c.word());
  } while (!c.atEnd);
  return { name: 'ENABLE', capabilities };
}

/** ID ( "(" [string SP nstring *(SP string SP nstring)] ")" / NIL ) (RFC 2971). */
export function parseId(c: Cursor): CommandBody {
  c.sp();
  if (c.tryNil()) return { name: 'ID', params: null };
  const params: Array<[string, string | null]> = [];
  c.list(() => {
    const key = c.string().toString('utf8');
    c.sp();
    const value = c.nstring();
    params.push([key, value === null ? null : value.toString('utf8')]);
  });
  return { name: 'ID', params };
}

export function parseCompress(c: Cursor): CommandBody {
  c.sp();
  return { name: 'COMPRESS', mechanism: c.word() };
}

/** CANCELUPDATE 1*(SP quoted) (RFC 5267 4.3). */
export function parseCancelUpdate(c: Cursor): CommandBody {
  const tags: string[] = [];
  do {
    c.sp();
    c.count();
    tags.push(c.string().toString('latin1'));
  } while (!c.atEnd);
  return { name: 'CANCELUPDATE', tags };
}

const SIMPLE_FILTERS = new Set(['SELECTED', 'SELECTED-DELAYED', 'INBOXES', 'PERSONAL', 'SUBSCRIBED']);
const EVENTS = new Set([
  'MESSAGENEW', 'MESSAGEEXPUNGE', 'FLAGCHANGE', 'ANNOTATIONCHANGE', 'MAILBOXNAME', 'SUBSCRIPTIONCHANGE', 'MAILBOXMETADATACHANGE', 'SERVERMETADATACHANGE',
]);

function notifyGroup(c: Cursor): NotifyGroup {
  c.expect('(');
  const filter = c.word();
  let mailboxes: NotifyMailboxes;
  if (SIMPLE_FILTERS.has(filter)) {
    mailboxes = { kind: filter.toLowerCase() as 'selected' };
  } else if (filter === 'SUBTREE' || filter === 'MAILBOXES') {
    c.sp();
    const names: Buffer[] = [];
    if (c.peekIs('(')) c.list(() => names.push(c.astring()), { nonEmpty: true });
    else names.push(c.astring());
    mailboxes = { kind: filter.toLowerCase() as 'subtree', names };
  } else {
    return c.fail('Unknown NOTIFY mailbox filter');
  }
  c.sp();
  const events: string[] = [];
  let messageNewItems: FetchItem[] | null = null;
  if (!c.tryWord('NONE')) {
    c.list(() => {
      const e = c.word();
      if (!EVENTS.has(e)) c.fail('Unknown NOTIFY event');
      events.push(e);
      if (e === 'MESSAGENEW' && c.peekIs(' ') ) {
        const mark = c.mark();
        c.sp();
        if (c.peekIs('(')) messageNewItems = parseFetchItems(c);
        else c.rewind(mark);
      }
    }, { nonEmpty: true });
  }
  c.expect(')');
  return { mailboxes, events, messageNewItems };
}

/** NOTIFY NONE / NOTIFY SET [STATUS] event-group... (RFC 5465 5). */
export function parseNotify(c: Cursor): CommandBody {
  c.sp();
  const w = c.word();
  if (w === 'NONE') return { name: 'NOTIFY', groups: null, status: false };
  if (w !== 'SET') c.fail('Expected SET or NONE');
  c.sp();
  let status = false;
  if (c.tryWord('STATUS')) {
    status = true;
    c.sp();
  }
  const groups: NotifyGroup[] = [];
  for (;;) {
    c.count();
    groups.push(notifyGroup(c));
    if (!c.trySp()) break;
  }
  return { name: 'NOTIFY', groups, status };
}

/** GENURLAUTH 1*(SP url-rump SP mechanism) (RFC 4467 7). */
export function parseGenUrlAuth(c: Cursor): CommandBody {
  const urls: Array<{ url: string; mechanism: string }> = [];
  do {
    c.sp();
    c.count();
    const url = c.astringText();
    c.sp();
    urls.push({ url, mechanism: c.word() });
  } while (!c.atEnd);
  return { name: 'GENURLAUTH', urls };
}

export function parseResetKey(c: Cursor): CommandBody {
  if (c.atEnd) return { name: 'RESETKEY', mailbox: null, mechanisms: [] };
  c.sp();
  const mailbox = c.astring();
  const mechanisms: string[] = [];
  while (c.trySp()) {
    c.count();
    mechanisms.push(c.word());
  }
  return { name: 'RESETKEY', mailbox, mechanisms };
}

const URLFETCH_PARAMS = new Set(['BODYPARTSTRUCTURE', 'BINARY', 'BODY']);

/** URLFETCH 1*(SP (url / "(" url *(SP param) ")")) (RFC 4467 7, URLAUTH=BINARY RFC 5524 4). */
export function parseUrlFetch(c: Cursor): CommandBody {
  const urls: Array<{ url: string; params: string[] | null }> = [];
  do {
    c.sp();
    c.count();
    if (c.tryChar('(')) {
      const url = c.astringText();
      const params: string[] = [];
      while (c.trySp()) {
        const p = c.word();
        if (!URLFETCH_PARAMS.has(p)) c.fail('Unknown URLFETCH parameter');
        params.push(p);
      }
      c.expect(')');
      urls.push({ url, params });
    } else {
      urls.push({ url: c.astringText(), params: null });
    }
  } while (!c.atEnd);
  return { name: 'URLFETCH', urls };
}
