import type { Mailbox } from '../../domain/index.js';

/** Gmail's names for the system mailboxes (in:spam, label:bin...). */
const SPECIAL_NAMES: Record<string, string> = {
  inbox: '\\Inbox', sent: '\\Sent', drafts: '\\Drafts', draft: '\\Drafts', spam: '\\Junk', junk: '\\Junk', trash: '\\Trash', bin: '\\Trash', archive: '\\Archive',
};

/** OperatorContext.resolveMailbox over a user's mailboxes: a special name, else a path (any case). */
export function mailboxResolver(boxes: Mailbox[]): (name: string) => string | null {
  return (name) => {
    const n = name.toLowerCase();
    const special = SPECIAL_NAMES[n];
    const hit = (special && boxes.find((b) => b.specialUse === special)) || boxes.find((b) => b.path.toLowerCase() === n);
    return hit ? hit.id : null;
  };
}
