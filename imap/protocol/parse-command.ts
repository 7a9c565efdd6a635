/**
 * A framed command -> a Command (tag SP command CRLF, RFC 3501 9). A ProtocolError thrown here
 * carries the tag when it could be read, so the session can answer `tag BAD ...`.
 */
import type { Command, CommandBody } from './commands.js';
import type { Frame } from './command-reader.js';
import { Cursor } from './cursor.js';
import { ProtocolError } from './errors.js';
import type { ProtocolLimits } from './limits.js';
import { parseAppend } from './parse-append.js';
import {
  parseCreate, parseGetQuota, parseList, parseLsub, parseOneMailbox, parseRename, parseSelect, parseSetQuota, parseStatus,
} from './parse-mailbox-commands.js';
import { parseCopyMove, parseExpunge, parseFetch, parseSearch, parseSort, parseStore, parseThread } from './parse-message-commands.js';
import {
  parseAuthenticate, parseCancelUpdate, parseCompress, parseEnable, parseGenUrlAuth, parseId, parseLogin, parseNotify, parseResetKey, parseUrlFetch,
} from './parse-session-commands.js';

type Grammar = (c: Cursor) => CommandBody;

const NO_ARGS = ['CAPABILITY', 'NOOP', 'LOGOUT', 'STARTTLS', 'CHECK', 'CLOSE', 'UNSELECT', 'IDLE', 'NAMESPACE'] as const;

const GRAMMAR: Record<string, Grammar> = {
  AUTHENTICATE: parseAuthenticate,
  LOGIN: parseLogin,
  ENABLE: parseEnable,
  ID: parseId,
  COMPRESS: parseCompress,
  SELECT: (c) => parseSelect(c, 'SELECT'),
  EXAMINE: (c) => parseSelect(c, 'EXAMINE'),
  CREATE: parseCreate,
  DELETE: (c) => parseOneMailbox(c, 'DELETE'),
  SUBSCRIBE: (c) => parseOneMailbox(c, 'SUBSCRIBE'),
  UNSUBSCRIBE: (c) => parseOneMailbox(c, 'UNSUBSCRIBE'),
  GETQUOTAROOT: (c) => parseOneMailbox(c, 'GETQUOTAROOT'),
  GETQUOTA: parseGetQuota,
  SETQUOTA: parseSetQuota,
  RENAME: parseRename,
  LIST: parseList,
  LSUB: parseLsub,
  STATUS: parseStatus,
  APPEND: parseAppend,
  CANCELUPDATE: parseCancelUpdate,
  NOTIFY: parseNotify,
  GENURLAUTH: parseGenUrlAuth,
  RESETKEY: parseResetKey,
  URLFETCH: parseUrlFetch,
  EXPUNGE: (c) => parseExpunge(c, false),
  FETCH: (c) => parseFetch(c, false),
  STORE: (c) => parseStore(c, false),
  COPY: (c) => parseCopyMove(c, 'COPY', false),
  MOVE: (c) => parseCopyMove(c, 'MOVE', false),
  SEARCH: (c) => parseSearch(c, false),
  SORT: (c) => parseSort(c, false),
  THREAD: (c) => parseThread(c, false),
};
for (const name of NO_ARGS) GRAMMAR[name] = () => ({ name });

/** Commands that take the UID prefix (RFC 3501 6.4.8, UID EXPUNGE RFC 4315, UID MOVE RFC 6851, UID SORT/THREAD RFC 5256). */
const UID_GRAMMAR: Record<string, Grammar> = {
  EXPUNGE: (c) => parseExpunge(c, true),
  FETCH: (c) => parseFetch(c, true),
  STORE: (c) => parseStore(c, true),
  COPY: (c) => parseCopyMove(c, 'COPY', true),
  MOVE: (c) => parseCopyMove(c, 'MOVE', true),
  SEARCH: (c) => parseSearch(c, true),
  SORT: (c) => parseSort(c, true),
  THREAD: (c) => parseThread(c, true),
};

/** A parse failure with the tag it belongs to (null when even the tag was unreadable). */
export class CommandError extends ProtocolError {
  constructor(
    readonly tag: string | null,
    readonly commandName: string | null,
    cause: ProtocolError,
  ) {
    super(cause.message, cause.code, cause.status, cause.codeData);
  }
}

export function parseCommand(frame: Frame, limits: Pick<ProtocolLimits, 'maxDepth' | 'maxItems'>): Command {
  const c = new Cursor(frame, { maxDepth: limits.maxDepth, maxItems: limits.maxItems });
  let tag: string | null = null;
  let name: string | null = null;
  try {
    tag = c.tag();
    c.sp();
    name = c.word();
    let grammar = GRAMMAR[name];
    if (name === 'UID') {
      c.sp();
      const sub = c.word();
      name = `UID ${sub}`;
      grammar = UID_GRAMMAR[sub];
    }
    if (!grammar) c.fail(`Unknown command ${name.slice(0, 40)}`);
    const body = grammar(c);
    c.end();
    return { tag, ...body };
  } catch (err) {
    if (err instanceof ProtocolError) throw new CommandError(tag, name, err);
    throw err;
  }
}
