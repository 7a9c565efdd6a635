/** STATUS data items (RFC 3501 6.3.10, RFC 9051 6.3.11, STATUS=SIZE RFC 8438, APPENDLIMIT RFC 7889, OBJECTID RFC 8474). */
import type { Mailbox } from '../../domain/index.js';
import type { StatusItem } from '../protocol/commands.js';
import { atom, type ImapValue } from '../protocol/values.js';
import type { ImapDeps } from '../session/deps.js';
import type { Session } from '../session/session.js';

/** `* STATUS name (item value ...)` for one mailbox. */
export async function sendStatus(session: Session, deps: ImapDeps, box: Mailbox, items: readonly StatusItem[]): Promise<void> {
  const s = await deps.mail.getMailboxStatus(box.id);
  const values: ImapValue[] = [];
  for (const item of items) {
    values.push(atom(item));
    switch (item) {
      case 'MESSAGES':
        values.push(s.messages);
        break;
      case 'RECENT':
        values.push(s.recent);
        break;
      case 'UIDNEXT':
        values.push(s.uidNext);
        break;
      case 'UIDVALIDITY':
        values.push(s.uidValidity);
        break;
      case 'UNSEEN':
        values.push(s.unseen);
        break;
      case 'HIGHESTMODSEQ':
        values.push(s.highestModseq);
        break;
      case 'SIZE':
        values.push(s.size);
        break;
      case 'DELETED':
        values.push(s.deleted);
        break;
      case 'APPENDLIMIT':
        values.push(deps.limits.maxMessageSize);
        break;
      case 'MAILBOXID':
        values.push([atom(mailboxObjectId(box))]);
        break;
      default:
        values.pop();
    }
  }
  if (items.includes('HIGHESTMODSEQ')) session.enableCondstore();
  await session.untagged(atom('STATUS'), session.wireName(box.path), values);
}

/** RFC 8474 objectid for a mailbox: stable for its life, new when re-created. */
export function mailboxObjectId(box: Mailbox): string {
  return `M${box.id}x${box.uidValidity.toString(36)}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 255);
}
