/** Grammar of the commands on the selected mailbox's messages (RFC 3501 6.4, RFC 9051 6.4 and extensions). */
import { charsetDecoder } from './charset.js';
import type { CommandBody, SearchReturn, SortCriterion, SortKey } from './commands.js';
import type { Cursor } from './cursor.js';
import { parseFetchItems } from './fetch-items.js';
import { parseSearchProgram } from './search-keys.js';
import { parseSequenceSet } from './sequence-set.js';

export function parseFetch(c: Cursor, uid: boolean): CommandBody {
  c.sp();
  const set = parseSequenceSet(c);
  c.sp();
  const items = parseFetchItems(c);
  let changedSince: number | null = null;
  let vanished = false;
  if (c.trySp()) {
    // fetch-modifiers (RFC 7162 3.1.4.1, 3.2.6)
    c.list(() => {
      const w = c.word();
      if (w === 'CHANGEDSINCE') {
        c.sp();
        changedSince = c.number64();
      } else if (w === 'VANISHED') vanished = true;
      else c.fail('Unknown FETCH modifier');
    }, { nonEmpty: true });
  }
  return { name: 'FETCH', uid, set, items, changedSince, vanished };
}

export function parseStore(c: Cursor, uid: boolean): CommandBody {
  c.sp();
  const set = parseSequenceSet(c);
  c.sp();
  let unchangedSince: number | null = null;
  if (c.peekIs('(')) {
    c.list(() => {
      if (c.word() !== 'UNCHANGEDSINCE') c.fail('Unknown STORE modifier');
      c.sp();
      unchangedSince = c.number64();
    }, { nonEmpty: true });
    c.sp();
  }
  const action = c.tryChar('+') ? 'add' : c.tryChar('-') ? 'remove' : 'set';
  const what = c.word();
  if (what !== 'FLAGS' && what !== 'FLAGS.SILENT') c.fail('Expected FLAGS');
  c.sp();
  const flags: string[] = [];
  if (c.peekIs('(')) {
    c.list(() => flags.push(c.flag()));
  } else {
    for (;;) {
      c.count();
      flags.push(c.flag());
      if (!c.trySp()) break;
    }
  }
  return { name: 'STORE', uid, set, unchangedSince, action, silent: what === 'FLAGS.SILENT', flags };
}

export function parseCopyMove(c: Cursor, name: 'COPY' | 'MOVE', uid: boolean): CommandBody {
  c.sp();
  const set = parseSequenceSet(c);
  c.sp();
  return { name, uid, set, mailbox: c.astring() };
}

export function parseExpunge(c: Cursor, uid: boolean): CommandBody {
  if (!uid) return { name: 'EXPUNGE', uid, set: null };
  c.sp();
  return { name: 'EXPUNGE', uid, set: parseSequenceSet(c) };
}

const RETURN_OPTIONS = new Set(['MIN', 'MAX', 'ALL', 'COUNT', 'SAVE', 'UPDATE', 'CONTEXT', 'PARTIAL']);

/** RETURN (...) of ESEARCH (RFC 4731 3.1), CONTEXT (RFC 5267 4.2) and PARTIAL. */
function searchReturn(c: Cursor): SearchReturn {
  const ret: SearchReturn = { options: new Set(), partial: null };
  c.list(() => {
    const w = c.word();
    if (!RETURN_OPTIONS.has(w)) c.fail('Unknown RETURN option');
    ret.options.add(w as never);
    if (w === 'PARTIAL') {
      c.sp();
      const low = c.nzNumber();
      c.expect(':');
      const high = c.nzNumber();
      ret.partial = low <= high ? { low, high } : { low: high, high: low };
    }
  });
  return ret;
}

function tryReturn(c: Cursor): SearchReturn | null {
  if (!c.tryWord('RETURN')) return null;
  c.sp();
  const r = searchReturn(c);
  c.sp();
  return r;
}

export function parseSearch(c: Cursor, uid: boolean): CommandBody {
  c.sp();
  const returns = tryReturn(c);
  let charset: string | null = null;
  if (c.tryWord('CHARSET')) {
    c.sp();
    charset = c.astringText();
    c.sp();
  }
  const key = parseSearchProgram(c, charsetDecoder(charset));
  return { name: 'SEARCH', uid, returns, charset, key };
}

const SORT_KEYS = new Set<SortKey>(['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO', 'DISPLAYFROM', 'DISPLAYTO']);

/** SORT [RETURN (...)] (criteria) charset keys (RFC 5256 3, ESORT RFC 5267 3, SORT=DISPLAY RFC 5957). */
export function parseSort(c: Cursor, uid: boolean): CommandBody {
  c.sp();
  const returns = tryReturn(c);
  const criteria: SortCriterion[] = [];
  c.list(() => {
    let w = c.word();
    let reverse = false;
    if (w === 'REVERSE') {
      reverse = true;
      c.sp();
      w = c.word();
    }
    if (!SORT_KEYS.has(w as SortKey)) c.fail('Unknown sort key');
    criteria.push({ key: w as SortKey, reverse });
  }, { nonEmpty: true });
  c.sp();
  const charset = c.astringText();
  c.sp();
  const key = parseSearchProgram(c, charsetDecoder(charset));
  return { name: 'SORT', uid, returns, criteria, charset, key };
}

export function parseThread(c: Cursor, uid: boolean): CommandBody {
  c.sp();
  const algorithm = c.word();
  c.sp();
  const charset = c.astringText();
  c.sp();
  const key = parseSearchProgram(c, charsetDecoder(charset));
  return { name: 'THREAD', uid, algorithm, charset, key };
}
