import { ImapCodes, ImapNo } from './response-codes.js';

const MAX_PATH_LENGTH = 1024;
const MAX_DEPTH = 32;

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * Checks a mailbox name a client wants to create or rename to. imap-core has already decoded
 * modified UTF-7 (RFC 3501 5.1.3) and normalised INBOX.
 */
export function checkNewPath(path: string): string {
  const p = path.replace(/\/+$/, '');
  if (!p || p.length > MAX_PATH_LENGTH) throw new ImapNo(ImapCodes.cannot, 'Invalid mailbox name');
  // Control characters and empty levels ("a//b") make names no client can address.
  if (hasControl(p) || p.split('/').some((s) => s === '' || s.trim() === '')) {
    throw new ImapNo(ImapCodes.cannot, 'Invalid mailbox name');
  }
  if (p.split('/').length > MAX_DEPTH) throw new ImapNo(ImapCodes.limit, 'Mailbox hierarchy too deep');
  return p;
}
