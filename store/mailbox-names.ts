import { MAILBOX_DELIMITER, StoreError } from '../domain/index.js';

const MAX_PATH_LENGTH = 1024;
const MAX_SEGMENT_LENGTH = 255;
const MAX_DEPTH = 32;

/**
 * Canonical mailbox path: 'INBOX' is case-insensitive and stored upper-case, also as the first
 * segment of its children (RFC 3501 5.1). Rejects what a hostile client could use to confuse
 * LIST or grow rows: empty segments, control characters, LIST wildcards, excessive length/depth.
 */
export function normalizeMailboxPath(path: string): string {
  if (typeof path !== 'string' || path.length === 0) throw new StoreError('invalid', 'empty mailbox name');
  if (path.length > MAX_PATH_LENGTH) throw new StoreError('invalid', 'mailbox name too long');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f*%]/.test(path)) throw new StoreError('invalid', 'mailbox name contains forbidden characters');
  const segments = path.split(MAILBOX_DELIMITER);
  if (segments.length > MAX_DEPTH) throw new StoreError('invalid', 'mailbox hierarchy too deep');
  for (const s of segments) {
    if (s.length === 0) throw new StoreError('invalid', 'mailbox name has an empty level');
    if (Buffer.byteLength(s) > MAX_SEGMENT_LENGTH) throw new StoreError('invalid', 'mailbox name level too long');
  }
  if (segments[0]!.toUpperCase() === 'INBOX') segments[0] = 'INBOX';
  return segments.join(MAILBOX_DELIMITER);
}

/** 'a/b/c' -> ['a', 'a/b'] */
export function parentPaths(path: string): string[] {
  const segments = path.split(MAILBOX_DELIMITER);
  const out: string[] = [];
  for (let i = 1; i < segments.length; i++) out.push(segments.slice(0, i).join(MAILBOX_DELIMITER));
  return out;
}

export function isInbox(path: string): boolean {
  return path === 'INBOX';
}
