import type { Id, MailStore, SearchQuery } from '../../domain/index.js';
import type { MessageKey } from './message-key.js';

/** Dates are compared to the second: parsers may round sub-second parts differently. */
function sameDate(a: Date | null | undefined, b: number | null): boolean {
  if (!a || b === null) return !a && b === null;
  return Math.floor(a.getTime() / 1000) === Math.floor(b / 1000);
}

async function anyMatches(mail: MailStore, mailboxId: Id, uids: number[], key: MessageKey): Promise<boolean> {
  for await (const rec of mail.getMessages(mailboxId, uids, { fields: ['header'] })) {
    if (rec.size === key.size && sameDate(rec.header?.date, key.date)) return true;
  }
  return false;
}

/**
 * Whether the mailbox already holds this message: same Message-ID, Date and size. The indexed
 * Message-ID lookup answers almost every case; a search (Message-ID header and exact size) is
 * the fallback for the rare mailbox with two different messages under one Message-ID and for
 * messages without one.
 */
export async function alreadyImported(mail: MailStore, mailboxId: Id, key: MessageKey): Promise<boolean> {
  if (key.messageId) {
    const uid = await mail.findByMessageIdHeader(mailboxId, key.messageId);
    if (uid === null) return false;
    if (await anyMatches(mail, mailboxId, [uid], key)) return true;
  }
  const nodes: SearchQuery[] = [
    { type: 'size', op: 'larger', value: key.size - 1 },
    { type: 'size', op: 'smaller', value: key.size + 1 },
  ];
  if (key.messageId) nodes.push({ type: 'header', name: 'message-id', value: key.messageId });
  else nodes.push({ type: 'not', node: { type: 'header', name: 'message-id', value: '' } });
  const uids = await mail.searchUids(mailboxId, { type: 'and', nodes });
  return uids.length > 0 && anyMatches(mail, mailboxId, uids.slice(-200), key);
}
