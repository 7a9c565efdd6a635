/**
 * The search-key grammar (RFC 3501 6.4.4, RFC 9051 6.4.4) with the extensions Heron offers:
 * CONDSTORE MODSEQ (RFC 7162), WITHIN OLDER/YOUNGER (RFC 5032), SAVEDATE (RFC 8514), OBJECTID
 * EMAILID/THREADID (RFC 8474), SEARCHRES `$` (RFC 5182) and Gmail's X-GM-RAW/X-GM-MSGID/
 * X-GM-THRID. Strings arrive decoded with the command's CHARSET.
 */
import type { Decoder } from './charset.js';
import type { Cursor } from './cursor.js';
import { parseDate } from './dates.js';
import { ProtocolError } from './errors.js';
import { parseSequenceSet, type SequenceSet } from './sequence-set.js';

export type TextField = 'bcc' | 'body' | 'cc' | 'from' | 'subject' | 'text' | 'to';

export type SearchKey =
  | { type: 'all' }
  | { type: 'and'; keys: SearchKey[] }
  | { type: 'or'; keys: [SearchKey, SearchKey] }
  | { type: 'not'; key: SearchKey }
  /** A system flag (`\Seen`...) or a keyword; `set` false for UNSEEN, UNKEYWORD... */
  | { type: 'flag'; flag: string; set: boolean }
  /** \Recent is per session (RFC 3501 2.3.2), so it is its own key. */
  | { type: 'recent'; set: boolean }
  | { type: 'text'; field: TextField; value: string }
  | { type: 'header'; name: string; value: string }
  /** `day` is YYYYMMDD. internal: BEFORE/ON/SINCE; sent: SENT*; saved: SAVED* (RFC 8514). */
  | { type: 'date'; field: 'internal' | 'sent' | 'saved'; op: 'before' | 'on' | 'since'; day: number }
  | { type: 'size'; op: 'larger' | 'smaller'; value: number }
  | { type: 'seq'; set: SequenceSet }
  | { type: 'uid'; set: SequenceSet }
  | { type: 'modseq'; min: number }
  /** RFC 5032: INTERNALDATE at least / less than `seconds` ago. */
  | { type: 'older' | 'younger'; seconds: number }
  | { type: 'savedatesupported' }
  | { type: 'emailid' | 'threadid'; id: string }
  | { type: 'x-gm-raw'; query: string }
  | { type: 'x-gm-msgid' | 'x-gm-thrid'; id: string };

const FLAG_KEYS: Record<string, [string, boolean]> = {
  ANSWERED: ['\\Answered', true],
  DELETED: ['\\Deleted', true],
  DRAFT: ['\\Draft', true],
  FLAGGED: ['\\Flagged', true],
  SEEN: ['\\Seen', true],
  UNANSWERED: ['\\Answered', false],
  UNDELETED: ['\\Deleted', false],
  UNDRAFT: ['\\Draft', false],
  UNFLAGGED: ['\\Flagged', false],
  UNSEEN: ['\\Seen', false],
};

const TEXT_KEYS: Record<string, TextField> = {
  BCC: 'bcc',
  BODY: 'body',
  CC: 'cc',
  FROM: 'from',
  SUBJECT: 'subject',
  TEXT: 'text',
  TO: 'to',
};

const DATE_KEYS: Record<string, ['internal' | 'sent' | 'saved', 'before' | 'on' | 'since']> = {
  BEFORE: ['internal', 'before'],
  ON: ['internal', 'on'],
  SINCE: ['internal', 'since'],
  SENTBEFORE: ['sent', 'before'],
  SENTON: ['sent', 'on'],
  SENTSINCE: ['sent', 'since'],
  SAVEDBEFORE: ['saved', 'before'],
  SAVEDON: ['saved', 'on'],
  SAVEDSINCE: ['saved', 'since'],
};

/** RFC 8474 objectid: 1*255(ALPHA / DIGIT / "_" / "-"). */
function objectId(c: Cursor): string {
  const id = c.astring().toString('latin1');
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(id)) c.fail('Invalid object id');
  return id;
}

class SearchParser {
  constructor(
    private readonly c: Cursor,
    private readonly decode: Decoder,
  ) {}

  private text(): string {
    return this.decode(this.c.astring());
  }

  /** One search-key; `depth` bounds NOT/OR/parenthesis nesting. */
  key(depth: number): SearchKey {
    const c = this.c;
    if (depth > c.options.maxDepth) throw new ProtocolError('Search program nested too deeply', 'LIMIT');
    c.count();
    if (c.tryChar('(')) {
      const keys = this.keys(depth + 1, ')');
      c.expect(')');
      return keys.length === 1 ? keys[0]! : { type: 'and', keys };
    }
    const ch = c.peek();
    if ((ch >= 0x30 && ch <= 0x39) || ch === 0x2a /* * */ || ch === 0x24 /* $ */) return { type: 'seq', set: parseSequenceSet(c) };
    const word = c.word();
    const flag = FLAG_KEYS[word];
    if (flag) return { type: 'flag', flag: flag[0], set: flag[1] };
    const field = TEXT_KEYS[word];
    if (field) {
      c.sp();
      return { type: 'text', field, value: this.text() };
    }
    const date = DATE_KEYS[word];
    if (date) {
      c.sp();
      return { type: 'date', field: date[0], op: date[1], day: parseDate(c) };
    }
    switch (word) {
      case 'ALL':
        return { type: 'all' };
      case 'NEW':
        // RFC 3501: NEW is RECENT UNSEEN; OLD is NOT RECENT.
        return { type: 'and', keys: [{ type: 'recent', set: true }, { type: 'flag', flag: '\\Seen', set: false }] };
      case 'OLD':
        return { type: 'recent', set: false };
      case 'RECENT':
        return { type: 'recent', set: true };
      case 'KEYWORD':
      case 'UNKEYWORD': {
        c.sp();
        return { type: 'flag', flag: c.atom(), set: word === 'KEYWORD' };
      }
      case 'HEADER': {
        c.sp();
        const name = c.astring().toString('latin1');
        c.sp();
        return { type: 'header', name, value: this.text() };
      }
      case 'LARGER':
      case 'SMALLER':
        c.sp();
        return { type: 'size', op: word === 'LARGER' ? 'larger' : 'smaller', value: c.number64() };
      case 'NOT':
        c.sp();
        return { type: 'not', key: this.key(depth + 1) };
      case 'OR': {
        c.sp();
        const a = this.key(depth + 1);
        c.sp();
        const b = this.key(depth + 1);
        return { type: 'or', keys: [a, b] };
      }
      case 'UID':
        c.sp();
        return { type: 'uid', set: parseSequenceSet(c) };
      case 'MODSEQ': {
        // MODSEQ [entry-name entry-type-req] mod-sequence-valzer (RFC 7162 3.1.5); the entry
        // names a flag, but one modseq per message answers them all.
        c.sp();
        if (!(c.peek() >= 0x30 && c.peek() <= 0x39)) {
          c.string();
          c.sp();
          const type = c.word();
          if (type !== 'PRIV' && type !== 'SHARED' && type !== 'ALL') c.fail('Invalid MODSEQ entry type');
          c.sp();
        }
        return { type: 'modseq', min: c.number64() };
      }
      case 'OLDER':
      case 'YOUNGER':
        c.sp();
        return { type: word === 'OLDER' ? 'older' : 'younger', seconds: c.nzNumber() };
      case 'SAVEDATESUPPORTED':
        return { type: 'savedatesupported' };
      case 'EMAILID':
      case 'THREADID':
        c.sp();
        return { type: word === 'EMAILID' ? 'emailid' : 'threadid', id: objectId(c) };
      case 'X-GM-RAW':
        c.sp();
        return { type: 'x-gm-raw', query: this.text() };
      case 'X-GM-MSGID':
      case 'X-GM-THRID':
        c.sp();
        return { type: word === 'X-GM-MSGID' ? 'x-gm-msgid' : 'x-gm-thrid', id: c.decimal63() };
      default:
        return c.fail(`Unknown search key ${word.slice(0, 40)}`);
    }
  }

  /** search-key *(SP search-key), up to the end of the command or `close`. */
  keys(depth: number, close: ')' | null): SearchKey[] {
    const c = this.c;
    const keys: SearchKey[] = [this.key(depth)];
    for (;;) {
      if (close ? c.peekIs(close) : c.atEnd) return keys;
      c.sp();
      keys.push(this.key(depth));
    }
  }
}

/** The search program to the end of the command: 1*(SP search-key) after the caller's SP. */
export function parseSearchProgram(c: Cursor, decode: Decoder): SearchKey {
  const keys = new SearchParser(c, decode).keys(0, null);
  return keys.length === 1 ? keys[0]! : { type: 'and', keys };
}
