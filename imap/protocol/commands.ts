/**
 * Parsed commands: what parse-command.ts produces from a frame. Mailbox names and LIST patterns
 * stay raw bytes here, because how they decode (modified UTF-7 or UTF-8) depends on what the
 * session has enabled; every other string is decoded.
 */
import type { FetchItem } from './fetch-items.js';
import type { SearchKey } from './search-keys.js';
import type { SequenceSet } from './sequence-set.js';

export interface QresyncParams {
  uidValidity: number;
  modseq: number;
  knownUids: SequenceSet | null;
  /** seq-match-data: known sequence numbers and the UIDs they map to (RFC 7162 3.2.5.2). */
  seqMatch: { seqs: SequenceSet; uids: SequenceSet } | null;
}

/** ESEARCH RETURN options (RFC 4731) plus CONTEXT's UPDATE and PARTIAL (RFC 5267). `[]` after RETURN means ALL. */
export interface SearchReturn {
  options: Set<'MIN' | 'MAX' | 'ALL' | 'COUNT' | 'SAVE' | 'UPDATE' | 'CONTEXT' | 'PARTIAL'>;
  partial: { low: number; high: number } | null;
}

export type SortKey = 'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO' | 'DISPLAYFROM' | 'DISPLAYTO';
export interface SortCriterion {
  key: SortKey;
  reverse: boolean;
}

export type StatusItem =
  | 'MESSAGES'
  | 'RECENT'
  | 'UIDNEXT'
  | 'UIDVALIDITY'
  | 'UNSEEN'
  | 'HIGHESTMODSEQ'
  | 'SIZE'
  | 'DELETED'
  | 'DELETED-STORAGE'
  | 'APPENDLIMIT'
  | 'MAILBOXID';

export interface ListReturn {
  subscribed: boolean;
  children: boolean;
  specialUse: boolean;
  myRights: boolean;
  status: StatusItem[] | null;
}

export type CatenatePart = { type: 'text'; data: Buffer } | { type: 'url'; url: string };

export interface AppendMessage {
  flags: string[] | null;
  date: Date | null;
  /** A literal (`binary`: literal8, RFC 3516; `utf8`: RFC 6855 UTF8 data) or CATENATE parts (RFC 4469). */
  data: { type: 'literal'; data: Buffer; binary: boolean; utf8: boolean } | { type: 'catenate'; parts: CatenatePart[] };
}

export type NotifyMailboxes =
  | { kind: 'selected' | 'selected-delayed' | 'inboxes' | 'personal' | 'subscribed' }
  | { kind: 'subtree' | 'mailboxes'; names: Buffer[] };

export interface NotifyGroup {
  mailboxes: NotifyMailboxes;
  /** Event names upper-cased (MESSAGENEW, MESSAGEEXPUNGE, FLAGCHANGE, MAILBOXNAME, SUBSCRIPTIONCHANGE, ...); empty for NONE. */
  events: string[];
  /** FETCH items to send with MessageNew. */
  messageNewItems: FetchItem[] | null;
}

export type CommandBody =
  | { name: 'CAPABILITY' | 'NOOP' | 'LOGOUT' | 'STARTTLS' | 'CHECK' | 'CLOSE' | 'UNSELECT' | 'IDLE' | 'NAMESPACE' }
  | { name: 'EXPUNGE'; uid: boolean; set: SequenceSet | null }
  | { name: 'AUTHENTICATE'; mechanism: string; initialResponse: string | null }
  | { name: 'LOGIN'; user: string; password: string }
  | { name: 'ENABLE'; capabilities: string[] }
  | { name: 'ID'; params: Array<[string, string | null]> | null }
  | { name: 'COMPRESS'; mechanism: string }
  | { name: 'SELECT' | 'EXAMINE'; mailbox: Buffer; condstore: boolean; qresync: QresyncParams | null }
  | { name: 'CREATE'; mailbox: Buffer; specialUse: string[] }
  | { name: 'DELETE' | 'SUBSCRIBE' | 'UNSUBSCRIBE' | 'GETQUOTAROOT'; mailbox: Buffer }
  | { name: 'RENAME'; mailbox: Buffer; newName: Buffer }
  | { name: 'LIST'; selection: Set<string>; reference: Buffer; patterns: Buffer[]; returns: ListReturn; extended: boolean }
  | { name: 'LSUB'; reference: Buffer; pattern: Buffer }
  | { name: 'STATUS'; mailbox: Buffer; items: StatusItem[] }
  | { name: 'APPEND'; mailbox: Buffer; messages: AppendMessage[] }
  | { name: 'SEARCH'; uid: boolean; returns: SearchReturn | null; charset: string | null; key: SearchKey }
  | { name: 'FETCH'; uid: boolean; set: SequenceSet; items: FetchItem[]; changedSince: number | null; vanished: boolean }
  | {
      name: 'STORE';
      uid: boolean;
      set: SequenceSet;
      unchangedSince: number | null;
      action: 'set' | 'add' | 'remove';
      silent: boolean;
      flags: string[];
    }
  | { name: 'COPY' | 'MOVE'; uid: boolean; set: SequenceSet; mailbox: Buffer }
  | { name: 'GETQUOTA'; root: string }
  | { name: 'SETQUOTA'; root: string; limits: Array<[string, number]> }
  | { name: 'SORT'; uid: boolean; returns: SearchReturn | null; criteria: SortCriterion[]; charset: string; key: SearchKey }
  | { name: 'THREAD'; uid: boolean; algorithm: string; charset: string; key: SearchKey }
  | { name: 'CANCELUPDATE'; tags: string[] }
  | { name: 'NOTIFY'; groups: NotifyGroup[] | null; status: boolean }
  | { name: 'GENURLAUTH'; urls: Array<{ url: string; mechanism: string }> }
  | { name: 'RESETKEY'; mailbox: Buffer | null; mechanisms: string[] }
  /** Each URL with its RFC 5524 fetch parameters (BINARY, BODYPARTSTRUCTURE, BODY), upper-cased; none for plain URLFETCH. */
  | { name: 'URLFETCH'; urls: Array<{ url: string; params: string[] | null }> };

export type Command = { tag: string } & CommandBody;
export type CommandName = CommandBody['name'];
