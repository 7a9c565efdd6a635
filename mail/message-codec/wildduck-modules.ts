import { createRequire } from 'node:module';

/**
 * Loads CommonJS pieces of npm `wildduck` 1.46.1 (imap-core and its indexer). wildduck reads a
 * global config file on load unless DISABLE_WILD_CONFIG is set, so the variable is set before the
 * first require. Only subpaths are loaded: the package main starts a whole WildDuck server.
 */
process.env.DISABLE_WILD_CONFIG = 'true';

const requireFromHere = createRequire(import.meta.url);
const wildduckRoot = requireFromHere.resolve('wildduck/imap-core');
/** Resolves wildduck's own dependencies (libmime) from inside its package. */
const requireFromWildduck = createRequire(wildduckRoot);

/** The subset of imap-core's Indexer this project calls. */
export interface ImapCoreIndexer {
  parseMimeTree(raw: Buffer | string): Record<string, unknown>;
  getMaildata(tree: Record<string, unknown>): ImapCoreMaildata;
  getEnvelope(tree: Record<string, unknown>): unknown[];
  getBodyStructure(tree: Record<string, unknown>): unknown[];
  getContents(tree: Record<string, unknown>, selector: unknown, options?: unknown): unknown;
  resolveContentNode(tree: Record<string, unknown>, path: string): Record<string, unknown> | false;
}

export interface ImapCoreMaildata {
  nodes: Array<{ attachmentId: string; body: Buffer; contentType: string; transferEncoding: string }>;
  attachments: Array<{
    id: string;
    filename: string;
    contentType: string;
    disposition: string | false;
    transferEncoding: string;
    cid: string | null;
  }>;
  text: string;
  html: string[];
}

type IndexerCtor = new (options?: Record<string, unknown>) => ImapCoreIndexer;

let cachedIndexer: IndexerCtor | undefined;

export function loadIndexerClass(): IndexerCtor {
  cachedIndexer ??= requireFromHere('wildduck/imap-core/lib/indexer/indexer') as IndexerCtor;
  return cachedIndexer;
}

export interface LibMime {
  decodeWords(s: string): string;
  encodeWords(s: string, mime?: unknown, max?: number): string;
}

export function loadLibmime(): LibMime {
  return requireFromWildduck('libmime') as LibMime;
}

/** imap-core itself (IMAPServer, imapTools...); untyped, see imap/types.ts. */
export function loadImapCore(): Record<string, unknown> {
  return requireFromHere('wildduck/imap-core') as Record<string, unknown>;
}

export function loadImapCoreModule(subpath: string): unknown {
  return requireFromHere(`wildduck/imap-core/${subpath}`);
}

/** A module of wildduck outside imap-core that imap-core itself requires (lib/errors.js). */
export function loadWildduckModule(subpath: string): unknown {
  return requireFromHere(`wildduck/${subpath}`);
}
