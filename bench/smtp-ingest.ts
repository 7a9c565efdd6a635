import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { sendBatchFromChild, startBenchMx } from './mx-harness.js';

export interface SmtpIngestBenchOptions {
  messages?: number;
  messageBytes?: number;
  sessions?: number;
  /** Also run Postfix's smtp-source when installed (default true). */
  smtpSource?: boolean;
}

function smtpSource(port: number, messages: number, bytes: number, sessions: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    execFile(
      '/usr/sbin/smtp-source',
      ['-s', String(sessions), '-m', String(messages), '-l', String(bytes), '-f', 'bench@remote.test', '-t', 'bench@heron.test', `127.0.0.1:${port}`],
      { timeout: 600_000 },
      (err) => (err ? reject(err) : resolve(Number(process.hrtime.bigint() - started) / 1e9)),
    );
  });
}

/**
 * MX ingest: N messages of `messageBytes` over `sessions` concurrent SMTP sessions into one
 * mailbox, through a real MX server (port 0, in-process) onto the SQLite store with fsync'd
 * commits. Reports throughput; never asserts it.
 */
export async function runSmtpIngestBench(opts: SmtpIngestBenchOptions = {}): Promise<Record<string, number | string>> {
  const messages = opts.messages ?? 2000;
  const messageBytes = opts.messageBytes ?? 10 * 1024;
  const sessions = opts.sessions ?? 10;
  const result: Record<string, number | string> = { messages, messageBytes, sessions };
  const mx = await startBenchMx([], { sessions });
  const { port, store } = mx;
  try {
    const seconds = await sendBatchFromChild(port, { messages, messageBytes, sessions, idPrefix: 'bench' });
    result.heronSeconds = Number(seconds.toFixed(3));
    result.heronMsgsPerSec = Number((messages / seconds).toFixed(1));
    console.log(`smtp-ingest (nodemailer pool, separate process): ${messages} x ${messageBytes} B over ${sessions} sessions in ${seconds.toFixed(2)} s = ${(messages / seconds).toFixed(1)} msgs/s`);

    if (opts.smtpSource !== false && existsSync('/usr/sbin/smtp-source')) {
      const s = await smtpSource(port, messages, messageBytes, sessions);
      result.smtpSourceSeconds = Number(s.toFixed(3));
      result.smtpSourceMsgsPerSec = Number((messages / s).toFixed(1));
      console.log(`smtp-ingest (postfix smtp-source): ${(messages / s).toFixed(1)} msgs/s`);
    } else {
      result.smtpSource = 'not installed';
    }
    // What actually landed (smtp-source does not fail on a refused message).
    const inbox = await store.mail.getSpecialMailbox(mx.userId, '\\Inbox');
    if (inbox) result.storedMessages = (await store.mail.getMailboxStatus(inbox.id)).messages;
  } finally {
    await mx.close();
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  runSmtpIngestBench(n ? { messages: n } : {}).then((r) => console.log(JSON.stringify(r)));
}
