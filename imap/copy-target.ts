import type { Mailbox } from '../domain/index.js';
import type { HookDeps } from './deps.js';
import { ImapCodes, ImapNo } from './response-codes.js';

/** Source (the selected mailbox) and destination of COPY/MOVE; a missing destination is TRYCREATE (RFC 3501 6.4.7). */
export async function resolveCopyMailboxes(deps: HookDeps, userId: string, sourceId: string, destination: string): Promise<{ from: Mailbox; to: Mailbox }> {
  const from = await deps.mail.getMailboxById(userId, sourceId);
  if (!from) throw new ImapNo(ImapCodes.nonexistent, 'Selected mailbox no longer exists');
  const to = await deps.mail.getMailbox(userId, destination);
  if (!to) throw new ImapNo(ImapCodes.tryCreate, 'No such destination mailbox');
  return { from, to };
}

/** Tells the spam learner (training.ts) without ever failing the command. */
export async function notifyMoveObserver(deps: HookDeps, userId: string, from: Mailbox, to: Mailbox, destinationUids: number[]): Promise<void> {
  const observer = deps.moveObserver;
  if (!observer || from.id === to.id || destinationUids.length === 0) return;
  try {
    const messageIds: string[] = [];
    for await (const m of deps.mail.getMessages(to.id, [...destinationUids], { fields: ['flags'] })) messageIds.push(m.id);
    observer.messagesMoved({ userId, from, to, messageIds });
  } catch (err) {
    deps.logger.warn({ err }, 'move observer failed');
  }
}
