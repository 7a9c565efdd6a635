import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createDeliveryPipeline } from '../mail/delivery/index.js';
import { createMxServer } from '../smtp/mx/index.js';
import { createFsBlobStore } from '../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../store/notifier/memory-notifier.js';
import { openSqliteStore } from '../store/sqlite/index.js';
import { makeSelfSignedCert } from '../test/helpers/tls.js';

export interface SmtpIngestBenchOptions {
  messages?: number;
  messageBytes?: number;
  sessions?: number;
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
  const dir = mkdtempSync(join(tmpdir(), 'heron-bench-smtp-'));
  const logger = pino({ level: 'silent' });
  const registry = new Registry();
  const blobs = createFsBlobStore(join(dir, 'blobs'));
  const store = await openSqliteStore({ path: join(dir, 'heron.sqlite'), blobs, notifier: createMemoryNotifier() });
  const result: Record<string, number | string> = { messages, messageBytes, sessions };
  try {
    await store.users.addDomain('heron.test');
    const user = await store.users.createUser({ username: 'bench', address: 'bench@heron.test', password: 'bench-password-1' });
    const pipeline = createDeliveryPipeline({
      users: store.users, mail: store.mail, blobs, checks: [], hostname: 'mx.bench.test', logger, metrics: registry, filterFailure: 'tempfail',
    });
    const mx = createMxServer({
      users: store.users, mail: store.mail, pipeline, logger, metrics: registry, hostname: 'mx.bench.test', tls: makeSelfSignedCert(dir),
      spoolDir: join(dir, 'spool'),
      limits: { maxMessageSize: 25 * 1024 * 1024, maxRecipients: 100, maxConnectionsPerIp: sessions * 4, socketTimeoutMs: 60_000 },
    });
    const port = await mx.listen(0, '127.0.0.1');
    try {
      const line = 'The quick brown fox jumps over the lazy dog 0123456789.\n';
      const body = line.repeat(Math.ceil(messageBytes / line.length)).slice(0, messageBytes);
      const transport = nodemailer.createTransport({
        host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: sessions, maxMessages: Infinity, name: 'bench.test',
      });
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: messages }, (_, i) =>
          transport.sendMail({ from: 'bench@remote.test', to: 'bench@heron.test', subject: `bench ${i}`, messageId: `<bench-${i}@remote.test>`, text: body }),
        ),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      transport.close();
      result.heronSeconds = Number(seconds.toFixed(3));
      result.heronMsgsPerSec = Number((messages / seconds).toFixed(1));
      console.log(`smtp-ingest (nodemailer pool): ${messages} x ${messageBytes} B over ${sessions} sessions in ${seconds.toFixed(2)} s = ${(messages / seconds).toFixed(1)} msgs/s`);

      if (existsSync('/usr/sbin/smtp-source')) {
        const s = await smtpSource(port, messages, messageBytes, sessions);
        result.smtpSourceSeconds = Number(s.toFixed(3));
        result.smtpSourceMsgsPerSec = Number((messages / s).toFixed(1));
        console.log(`smtp-ingest (postfix smtp-source): ${(messages / s).toFixed(1)} msgs/s`);
      } else {
        result.smtpSource = 'not installed';
      }
      // What actually landed (smtp-source does not fail on a refused message).
      const inbox = await store.mail.getSpecialMailbox(user.id, '\\Inbox');
      if (inbox) result.storedMessages = (await store.mail.getMailboxStatus(inbox.id)).messages;
    } finally {
      await mx.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  runSmtpIngestBench(n ? { messages: n } : {}).then((r) => console.log(JSON.stringify(r)));
}
