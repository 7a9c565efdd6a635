import type { SpecialUse } from '../../domain/index.js';

/** Where an imported message goes: a special-use mailbox of the user, or a mailbox by path ("/" between levels). */
export type ImportTarget = { specialUse: SpecialUse } | { path: string };

const SPECIAL_NAMES: Record<string, SpecialUse> = {
  inbox: '\\Inbox',
  sent: '\\Sent',
  'sent items': '\\Sent',
  'sent messages': '\\Sent',
  'sent mail': '\\Sent',
  drafts: '\\Drafts',
  junk: '\\Junk',
  spam: '\\Junk',
  'junk e-mail': '\\Junk',
  trash: '\\Trash',
  'deleted items': '\\Trash',
  'deleted messages': '\\Trash',
  bin: '\\Trash',
  archive: '\\Archive',
  archives: '\\Archive',
};

/**
 * A folder name from another server as a target: INBOX and the usual names of the special
 * folders (RFC 6154) land in the user's own special mailboxes, anything else by path.
 */
export function targetForName(path: string): ImportTarget {
  const key = path.trim().toLowerCase();
  const special = SPECIAL_NAMES[key];
  return special ? { specialUse: special } : { path: path.trim() };
}

export function targetKey(t: ImportTarget): string {
  return 'specialUse' in t ? `special:${t.specialUse}` : `path:${t.path}`;
}
