import { ImapFlow } from 'imapflow';

export interface ImapAccount {
  port: number;
  user: string;
  password: string;
}

/** Messages in INBOX as the server's IMAP side reports them (STATUS, RFC 3501 6.3.10). */
async function inboxCount(client: ImapFlow): Promise<number> {
  const status = await client.status('INBOX', { messages: true });
  return status ? (status.messages ?? 0) : 0;
}

/**
 * Polls INBOX over IMAP until it holds at least `expected` messages; resolves with the time that
 * took. A mail system's intake is only done when the mail can be read, so the benches stop the
 * clock here, not at the last SMTP 250 (Postfix answers 250 before its LMTP delivery).
 */
export async function waitForImapCount(account: ImapAccount, expected: number, timeoutMs: number): Promise<{ count: number; waitedMs: number }> {
  const started = Date.now();
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: account.port,
    secure: false,
    auth: { user: account.user, pass: account.password },
    // Heron's STARTTLS listener offers its self-signed certificate; Dovecot's runs without TLS.
    tls: { rejectUnauthorized: false },
    logger: false,
  });
  await client.connect();
  try {
    let count = await inboxCount(client);
    while (count < expected) {
      if (Date.now() - started > timeoutMs) break;
      await new Promise((r) => setTimeout(r, 20));
      count = await inboxCount(client);
    }
    return { count, waitedMs: Date.now() - started };
  } finally {
    await client.logout().catch(() => undefined);
  }
}
