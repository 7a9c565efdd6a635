/**
 * Types for the parts of WildDuck's imap-core (CommonJS, untyped) that imap/ touches. Names follow
 * imap-core; shapes were read from wildduck 1.46.1 imap-core/lib/commands.
 */
import type { Readable, Writable } from 'node:stream';

export type ImapCallback = (err: Error | null, ...results: unknown[]) => void;

export interface SelectedState {
  /** What on-open returned as `_id`: our mailbox id. */
  mailbox: string;
  path: string;
  uidList: number[];
  modifyIndex: number;
  readOnly: boolean;
  condstoreEnabled: boolean;
  notifications: unknown[];
}

export interface ImapSession {
  id: string;
  remoteAddress: string;
  clientHostname: string;
  user?: { id: string; username: string };
  selected: SelectedState | false;
  writeStream: Writable & { write(obj: unknown, cb?: () => void): boolean };
  formatResponse(command: string, uid: number, data?: unknown): Record<string, unknown>;
  getQueryResponse(query: FetchQueryItem[], message: unknown, options?: unknown): unknown[];
  isUTF8Enabled?(): boolean;
}

/** One FETCH data item as parsed by imap-core commands/fetch.js. */
export interface FetchQueryItem {
  item: string;
  original: { partial?: number[] } & Record<string, unknown>;
  path?: string;
  type?: string;
  headers?: string[];
  partial?: { startFrom: number; maxLength: number };
  isLiteral?: boolean;
}

export interface FetchOptions {
  messages: number[];
  query: FetchQueryItem[];
  markAsSeen: boolean;
  metadataOnly: boolean;
  changedSince?: number;
  isUid: boolean;
  bodystructureExist?: boolean;
  envelopeExist?: boolean;
  flagsExist?: boolean;
}

export interface StoreUpdate {
  value: string[];
  action: 'set' | 'add' | 'remove';
  silent: boolean;
  messages: number[];
  unchangedSince?: number;
  isUid?: boolean;
}

export interface ExpungeUpdate {
  isUid: boolean;
  messages?: number[];
  silent?: boolean;
}

export interface CopyUpdate {
  destination: string;
  messages: number[];
}

/** imap-core search term (commands/search.js parseQueryTerms). */
export interface ImapSearchTerm {
  key: string;
  value?: unknown;
  header?: string;
  operator?: string;
  exists?: boolean;
}

export interface ImapFolder {
  path: string;
  specialUse?: string | null;
  flags?: string[];
  subscribed?: boolean;
}

export interface AuthRequest {
  method: string;
  username: string;
  password: string;
}

export interface ImapCoreServer {
  options: Record<string, unknown>;
  server: import('node:net').Server;
  connections: Set<unknown>;
  notifier: unknown;
  logger: unknown;
  on(event: string, listener: (...args: unknown[]) => void): void;
  listen(port: number, host: string, cb?: () => void): void;
  close(cb: () => void): void;
  [hook: string]: unknown;
}

export interface ImapHandler {
  compileStream(response: unknown): Readable;
  compiler(response: unknown): string;
}
