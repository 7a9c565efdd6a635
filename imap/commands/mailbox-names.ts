/** Mailbox lookup and new-name rules shared by the mailbox commands. */
import { MAILBOX_DELIMITER, type Mailbox } from '../../domain/index.js';
import type { ImapDeps } from '../session/deps.js';
import { ImapCodes, ImapNo } from '../session/imap-error.js';
import type { Session } from '../session/session.js';

const MAX_NAME = 1024;
const MAX_DEPTH = 32;

export function userIdOf(session: Session): string {
  if (!session.user) throw new Error('mailbox command before login');
  return session.user.id;
}

/** The mailbox named by the client, or NO [NONEXISTENT] (`[TRYCREATE]` for APPEND/COPY/MOVE targets, RFC 3501 6.3.11). */
export async function findMailbox(session: Session, deps: ImapDeps, raw: Buffer, missing: 'NONEXISTENT' | 'TRYCREATE' = 'NONEXISTENT'): Promise<Mailbox> {
  const name = session.mailboxName(raw);
  const box = await deps.mail.getMailbox(userIdOf(session), name);
  if (!box) throw new ImapNo(missing === 'TRYCREATE' ? ImapCodes.tryCreate : ImapCodes.nonexistent, 'Mailbox does not exist');
  return box;
}

/**
 * A name a client wants to create or rename to: no control characters, no empty levels, a
 * bounded length and depth. A trailing delimiter is dropped (RFC 3501 6.3.3).
 */
export function checkNewName(name: string): string {
  let n = name;
  while (n.endsWith(MAILBOX_DELIMITER)) n = n.slice(0, -1);
  if (!n || n.length > MAX_NAME) throw new ImapNo(ImapCodes.cannot, 'Invalid mailbox name');
  for (let i = 0; i < n.length; i++) {
    const c = n.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) throw new ImapNo(ImapCodes.cannot, 'Invalid mailbox name');
  }
  const levels = n.split(MAILBOX_DELIMITER);
  if (levels.some((l) => l.trim() === '')) throw new ImapNo(ImapCodes.cannot, 'Invalid mailbox name');
  if (levels.length > MAX_DEPTH) throw new ImapNo(ImapCodes.limit, 'Mailbox hierarchy too deep');
  // Wildcards in a name would make it unlistable by pattern (RFC 3501 5.1).
  if (n.includes('%') || n.includes('*')) throw new ImapNo(ImapCodes.cannot, 'Mailbox names cannot contain % or *');
  return n;
}
