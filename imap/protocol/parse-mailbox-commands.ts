/** Grammar of the commands that name mailboxes (RFC 3501 6.3, RFC 9051 6.3 and extensions). */
import type { CommandBody, ListReturn, QresyncParams, StatusItem } from './commands.js';
import type { Cursor } from './cursor.js';
import { parseSequenceSet } from './sequence-set.js';

export const STATUS_ITEMS = new Set<StatusItem>([
  'MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'HIGHESTMODSEQ', 'SIZE', 'DELETED', 'DELETED-STORAGE', 'APPENDLIMIT', 'MAILBOXID',
]);

export function statusItems(c: Cursor): StatusItem[] {
  const items: StatusItem[] = [];
  c.list(
    () => {
      const w = c.word() as StatusItem;
      if (!STATUS_ITEMS.has(w)) c.fail('Unknown STATUS item');
      items.push(w);
    },
    { nonEmpty: true },
  );
  return items;
}

/** QRESYNC (uidvalidity modseq [known-uids] [(known-seqs known-uids)]) (RFC 7162 3.2.5). */
function qresync(c: Cursor): QresyncParams {
  c.sp();
  c.expect('(');
  const uidValidity = c.nzNumber();
  c.sp();
  const modseq = c.number64();
  let knownUids: QresyncParams['knownUids'] = null;
  let seqMatch: QresyncParams['seqMatch'] = null;
  if (c.trySp()) {
    if (!c.peekIs('(')) {
      knownUids = parseSequenceSet(c);
      if (knownUids.saved) c.fail('$ is not allowed here');
      if (c.trySp() && !c.peekIs('(')) c.fail('Expected seq-match-data');
    }
    if (c.peekIs('(')) {
      c.expect('(');
      const seqs = parseSequenceSet(c);
      c.sp();
      const uids = parseSequenceSet(c);
      if (seqs.saved || uids.saved) c.fail('$ is not allowed here');
      c.expect(')');
      seqMatch = { seqs, uids };
    }
  }
  c.expect(')');
  return { uidValidity, modseq, knownUids, seqMatch };
}

export function parseSelect(c: Cursor, name: 'SELECT' | 'EXAMINE'): CommandBody {
  c.sp();
  const mailbox = c.astring();
  let condstore = false;
  let qr: QresyncParams | null = null;
  if (c.trySp()) {
    c.list(() => {
      const w = c.word();
      if (w === 'CONDSTORE') condstore = true;
      else if (w === 'QRESYNC') qr = qresync(c);
      else c.fail('Unknown SELECT parameter');
    });
  }
  return { name, mailbox, condstore, qresync: qr };
}

export function parseCreate(c: Cursor): CommandBody {
  c.sp();
  const mailbox = c.astring();
  const specialUse: string[] = [];
  if (c.trySp()) {
    // RFC 6154 5: CREATE name (USE (\Sent ...))
    c.list(() => {
      if (c.word() !== 'USE') c.fail('Unknown CREATE parameter');
      c.sp();
      c.list(() => specialUse.push(c.flag()), { nonEmpty: true });
    });
  }
  return { name: 'CREATE', mailbox, specialUse };
}

export function parseOneMailbox(c: Cursor, name: 'DELETE' | 'SUBSCRIBE' | 'UNSUBSCRIBE' | 'GETQUOTAROOT'): CommandBody {
  c.sp();
  return { name, mailbox: c.astring() };
}

export function parseRename(c: Cursor): CommandBody {
  c.sp();
  const mailbox = c.astring();
  c.sp();
  return { name: 'RENAME', mailbox, newName: c.astring() };
}

const SELECTION = new Set(['SUBSCRIBED', 'REMOTE', 'RECURSIVEMATCH', 'SPECIAL-USE']);

/** LIST, with LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819) and SPECIAL-USE (RFC 6154). */
export function parseList(c: Cursor): CommandBody {
  c.sp();
  const selection = new Set<string>();
  let extended = false;
  if (c.peekIs('(')) {
    extended = true;
    c.list(() => {
      const w = c.word();
      if (!SELECTION.has(w)) c.fail('Unknown LIST selection option');
      selection.add(w);
    });
    c.sp();
  }
  const reference = c.astring();
  c.sp();
  const patterns: Buffer[] = [];
  if (c.peekIs('(')) {
    extended = true;
    c.list(() => patterns.push(c.listMailbox()), { nonEmpty: true });
  } else {
    patterns.push(c.listMailbox());
  }
  const returns: ListReturn = { subscribed: false, children: false, specialUse: false, myRights: false, status: null };
  if (c.trySp()) {
    extended = true;
    if (c.word() !== 'RETURN') c.fail('Expected RETURN');
    c.sp();
    c.list(() => {
      const w = c.word();
      if (w === 'SUBSCRIBED') returns.subscribed = true;
      else if (w === 'CHILDREN') returns.children = true;
      else if (w === 'SPECIAL-USE') returns.specialUse = true;
      else if (w === 'MYRIGHTS') returns.myRights = true;
      else if (w === 'STATUS') {
        c.sp();
        returns.status = statusItems(c);
      } else c.fail('Unknown LIST return option');
    });
  }
  // RFC 5258 3.1: RECURSIVEMATCH needs a selection option other than REMOTE.
  if (selection.has('RECURSIVEMATCH') && ![...selection].some((o) => o !== 'RECURSIVEMATCH' && o !== 'REMOTE')) c.fail('RECURSIVEMATCH needs another selection option');
  return { name: 'LIST', selection, reference, patterns, returns, extended };
}

export function parseLsub(c: Cursor): CommandBody {
  c.sp();
  const reference = c.astring();
  c.sp();
  return { name: 'LSUB', reference, pattern: c.listMailbox() };
}

export function parseStatus(c: Cursor): CommandBody {
  c.sp();
  const mailbox = c.astring();
  c.sp();
  return { name: 'STATUS', mailbox, items: statusItems(c) };
}

export function parseGetQuota(c: Cursor): CommandBody {
  c.sp();
  return { name: 'GETQUOTA', root: c.astringText() };
}

/** SETQUOTA root (resource limit ...) (RFC 9208 4.1.3). */
export function parseSetQuota(c: Cursor): CommandBody {
  c.sp();
  const root = c.astringText();
  c.sp();
  const limits: Array<[string, number]> = [];
  c.list(() => {
    const resource = c.word();
    c.sp();
    limits.push([resource, c.number64()]);
  });
  return { name: 'SETQUOTA', root, limits };
}
