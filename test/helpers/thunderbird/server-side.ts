/**
 * The server's side of a Thunderbird test, seen with other real clients: imapflow over implicit
 * TLS by host name (SNI, the test CA trusted), and nodemailer handing mail to the MX port.
 */
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { HOSTNAME, type MailHost } from './mail-host.js';

/** An IMAP session as `user` (its own connection, next to Thunderbird's). Log out when done. */
export async function imapSession(host: MailHost, user: string, pass: string): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    servername: HOSTNAME,
    port: host.ports.imaps,
    secure: true,
    tls: { ca: [host.ca.cert] },
    auth: { user, pass },
    logger: false,
    disableAutoIdle: true,
  });
  await client.connect();
  return client;
}

export interface ServerMessage {
  uid: number;
  messageId: string;
  subject: string;
  flags: string[];
}

/** The mailbox's messages as the server lists them (Message-ID without angle brackets). */
export async function listMailbox(client: ImapFlow, path: string): Promise<ServerMessage[]> {
  const lock = await client.getMailboxLock(path);
  try {
    // Already selected: NOOP collects the EXISTS/EXPUNGE another session caused (RFC 3501 6.1.2).
    await client.noop();
    const out: ServerMessage[] = [];
    if (client.mailbox && client.mailbox.exists === 0) return out;
    for await (const m of client.fetch('1:*', { uid: true, flags: true, envelope: true })) {
      out.push({
        uid: m.uid,
        messageId: (m.envelope?.messageId ?? '').replace(/^<|>$/g, ''),
        subject: m.envelope?.subject ?? '',
        flags: [...(m.flags ?? [])].sort(),
      });
    }
    return out;
  } finally {
    lock.release();
  }
}

/** Mail from outside handed to the MX port, as another server would (STARTTLS by host name). */
export async function deliver(host: MailHost, msg: { from: string; to: string; subject: string; text: string; messageId: string }): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: host.ports.smtp,
    secure: false,
    requireTLS: true,
    name: 'mx.sender.example.net',
    tls: { servername: HOSTNAME, ca: [host.ca.cert] },
  });
  try {
    await transport.sendMail({ ...msg, messageId: `<${msg.messageId}>` });
  } finally {
    transport.close();
  }
}
