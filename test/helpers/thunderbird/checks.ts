/**
 * Checks more than one Thunderbird test makes: each step is done in Thunderbird and then
 * looked at on the server with imapflow.
 */
import assert from 'node:assert/strict';
import type { ImapFlow } from 'imapflow';
import type { MailClient, MessageInfo } from './mail-client.js';
import { HOSTNAME, type MailHost } from './mail-host.js';
import { deliver, listMailbox, type ServerMessage } from './server-side.js';
import { waitUntil } from './wait.js';

export interface User {
  email: string;
  /** The user's own imapflow session, to see what the server holds. */
  imap: ImapFlow;
}

/** Mail from outside reaches the user over SMTP; resolves with Thunderbird's view of it after its INBOX syncs. */
export async function receive(host: MailHost, mail: MailClient, accountKey: string, to: string, messageId: string, subject: string): Promise<MessageInfo> {
  await deliver(host, { from: 'Carol <carol@sender.example.net>', to, subject, text: `${subject}\r\n`, messageId });
  return waitUntil(`${messageId} in Thunderbird's INBOX`, async () => (await mail.sync(accountKey, 'INBOX')).find((m) => m.messageId === messageId));
}

/** Thunderbird marks the message read and flagged; resolves once the server shows \Seen \Flagged. */
export async function readAndFlag(mail: MailClient, accountKey: string, user: User, messageId: string): Promise<ServerMessage> {
  await mail.markReadAndFlagged(accountKey, 'INBOX', messageId);
  return waitUntil('\\Seen \\Flagged on the server', async () => {
    const m = (await listMailbox(user.imap, 'INBOX')).find((x) => x.messageId === messageId);
    return m && m.flags.includes('\\Seen') && m.flags.includes('\\Flagged') && m;
  });
}

/**
 * Thunderbird sends with its identity's SMTP server and files its own copy in Sent (issue 8 item
 * 5: after the submission service filed one). The recipient gets it; Sent holds it once, on the
 * server and in Thunderbird's view.
 */
export async function sendAndCheck(mail: MailClient, accountKey: string, from: User, to: User, subject: string): Promise<void> {
  const sent = await mail.send(accountKey, { to: to.email, subject, body: `${subject}, sent by Thunderbird.` });
  assert.match(sent.messageId, /@example\.test$/, 'Thunderbird made the Message-ID from the sender domain');
  assert.equal(sent.fcc, `imap://${encodeURIComponent(from.email)}@${HOSTNAME}/Sent`, '"place a copy in Sent" is on, into the server\'s Sent');

  const received = await waitUntil("the message in the recipient's INBOX", async () =>
    (await listMailbox(to.imap, 'INBOX')).find((m) => m.messageId === sent.messageId),
  );
  assert.equal(received.subject, subject);

  // Both writes are acknowledged by now: submission's 250 and the APPEND's OK came before
  // Thunderbird reported sending and copying done.
  const copies = (await listMailbox(from.imap, 'Sent')).filter((m) => m.messageId === sent.messageId);
  assert.equal(copies.length, 1, `Sent holds ${copies.length} copies of ${sent.messageId}`);
  assert.ok(copies[0]!.flags.includes('\\Seen'), 'the Sent copy is read');
  const sentView = await mail.sync(accountKey, 'Sent');
  assert.deepEqual(
    sentView.filter((m) => m.messageId === sent.messageId).map((m) => m.subject),
    [subject],
    `Thunderbird's Sent view shows it once: ${JSON.stringify(sentView)}`,
  );
}
