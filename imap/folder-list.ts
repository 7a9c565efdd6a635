import type { Mailbox } from '../domain/index.js';
import type { ImapFolder } from './types.js';

/** RFC 6154 attributes; INBOX is special by name (RFC 3501), \Inbox is only our internal marker. */
export function toImapFolder(m: Mailbox): ImapFolder {
  return {
    path: m.path,
    specialUse: m.specialUse && m.specialUse !== '\\Inbox' ? m.specialUse : null,
    subscribed: m.subscribed,
  };
}
