import { decodeEncodedWords } from '../mime/index.js';
import type { ImportTarget } from './targets.js';

/** Splits an X-Gmail-Labels value: comma-separated, a label with a comma in it is quoted. */
export function splitLabels(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < value.length) cur += value[++i];
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((l) => decodeEncodedWords(l.trim())).filter((l) => l.length > 0);
}

export interface LabelPlacement {
  targets: ImportTarget[];
  flags: string[];
}

/** System labels that are neither a mailbox nor a flag in Heron (Gmail's own views). */
const IGNORED = /^(archived|category .+|imap_.*|opened|unread)$/i;

/**
 * Google Takeout writes each message once with all its labels. Inbox, Sent, Drafts, Spam and Trash
 * become the user's special mailboxes, other labels mailboxes of that name (a "/" in a label is a
 * level, as Gmail shows it); Unread leaves \Seen off, Starred is \Flagged, Important the
 * $Important keyword (as Gmail's IMAP shows it). A message with no such label was archived: it
 * goes to Archive (Gmail's All Mail).
 */
export function placeByLabels(value: string): LabelPlacement {
  const labels = splitLabels(value);
  const lower = new Set(labels.map((l) => l.toLowerCase()));
  const targets: ImportTarget[] = [];
  const flags: string[] = [];
  if (!lower.has('unread')) flags.push('\\Seen');
  for (const label of labels) {
    const key = label.toLowerCase();
    if (key === 'inbox') targets.push({ specialUse: '\\Inbox' });
    else if (key === 'sent') targets.push({ specialUse: '\\Sent' });
    else if (key === 'drafts') {
      targets.push({ specialUse: '\\Drafts' });
      flags.push('\\Draft');
    } else if (key === 'spam') targets.push({ specialUse: '\\Junk' });
    else if (key === 'trash') targets.push({ specialUse: '\\Trash' });
    else if (key === 'starred') flags.push('\\Flagged');
    else if (key === 'important') flags.push('$Important');
    else if (key === 'chat') targets.push({ path: 'Chats' });
    else if (!IGNORED.test(label)) targets.push({ path: label.split('/').map((s) => s.trim()).filter(Boolean).join('/') });
  }
  const seen = new Set<string>();
  const unique = targets.filter((t) => {
    const k = JSON.stringify(t);
    return !seen.has(k) && (seen.add(k), true);
  });
  return { targets: unique.length > 0 ? unique : [{ specialUse: '\\Archive' }], flags: [...new Set(flags)] };
}
