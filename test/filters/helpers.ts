import { Readable } from 'node:stream';
import { pino } from 'pino';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { CheckContext, SessionInfo } from '../../domain/index.js';

export const silentLogger = pino({ level: 'silent' });

/** Env written by scripts/daemons.sh (npm test exports it); absent means "daemon not running". */
export const daemonEnv = {
  rspamd: process.env.HERON_TEST_RSPAMD_URL,
  controller: process.env.HERON_TEST_RSPAMD_CONTROLLER_URL,
  clamd: process.env.HERON_TEST_CLAMD,
  clamdDb: process.env.HERON_TEST_CLAMD_DB,
  redis: process.env.HERON_TEST_REDIS_URL,
};

export const GTUBE = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';
/** rspamd's `add header` test pattern (needs enable_test_patterns). */
export const YJS = 'YJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/** Builds a real RFC 5322 message with nodemailer's composer (not hand-written MIME). */
export async function compose(opts: {
  from?: string;
  to?: string;
  subject?: string;
  text: string;
  attachments?: Array<{ filename: string; content: string | Buffer }>;
}): Promise<Buffer> {
  const mail = new MailComposer({
    from: opts.from ?? 'Ann <ann@example.test>',
    to: opts.to ?? 'bob@heron.test',
    subject: opts.subject ?? 'Hello',
    text: opts.text,
    messageId: `<${Math.random().toString(36).slice(2)}@example.test>`,
    date: new Date(),
    ...(opts.attachments ? { attachments: opts.attachments } : {}),
  });
  return new Promise((resolve, reject) => {
    mail.compile().build((err, message) => (err ? reject(err) : resolve(message)));
  });
}

export function session(over: Partial<SessionInfo> = {}): SessionInfo {
  return {
    id: 'sess1',
    remoteAddress: '192.0.2.10',
    clientHostname: '[192.0.2.10]',
    heloName: 'mail.example.test',
    secure: false,
    ...over,
  };
}

export function contextFor(
  raw: Buffer,
  over: { mailFrom?: string; rcpt?: string[]; session?: Partial<SessionInfo> } = {},
): CheckContext {
  const rcpt = over.rcpt ?? ['bob@heron.test'];
  return {
    queueId: `q${Math.random().toString(36).slice(2, 10)}`,
    envelope: { mailFrom: over.mailFrom ?? 'ann@example.test', rcptTo: rcpt },
    session: session(over.session),
    recipients: rcpt.map((address, i) => ({ address, userId: String(i + 1) })),
    size: raw.length,
    // Chunked like a spool file read, so the clients' streaming paths are exercised.
    openRaw: () => Readable.from(chunks(raw, 16 * 1024)),
  };
}

function* chunks(buf: Buffer, size: number): Generator<Buffer> {
  for (let off = 0; off < buf.length; off += size) yield buf.subarray(off, off + size);
}

export function header(headers: Array<[string, string]> | undefined, name: string): string | undefined {
  return headers?.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}
