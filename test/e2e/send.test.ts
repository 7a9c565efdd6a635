import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { SMTPServer } from 'smtp-server';
import { authenticate } from 'mailauth';
import { baseEnv, freePort, heronCli, startHeronProcess } from '../helpers/heron-process.js';

// Submission through `heron start`: STARTTLS + AUTH with smtplib, a local recipient delivered at
// once, a remote one relayed through the queue to a local SMTP server playing the remote MX,
// DKIM-signed so that it verifies against the record `heron domain dns` prints.
const script = join(dirname(fileURLToPath(import.meta.url)), 'send.py');
const dataDir = mkdtempSync(join(tmpdir(), 'heron-send-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('submit over 587 with STARTTLS+AUTH: remote copy relayed DKIM-signed, local delivered, Sent kept', async () => {
  const received: Buffer[] = [];
  let notify: () => void = () => undefined;
  const arrived = new Promise<void>((r) => (notify = r));
  const remote = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks));
        notify();
        cb();
      });
    },
  });
  await new Promise<void>((r) => remote.listen(0, '127.0.0.1', r));
  const remotePort = (remote.server.address() as { port: number }).port;

  const submission = await freePort();
  const imap = await freePort();
  const env = baseEnv(dataDir, {
    HERON_SUBMISSION_PORT: String(submission),
    HERON_IMAP_PORT: String(imap),
    HERON_SMARTHOST: `127.0.0.1:${remotePort}`,
  });
  for (const u of ['ann', 'bob']) {
    const r = heronCli(['user', 'add', `${u}@heron.test`], env, { input: `${u}-secret-1\n` });
    assert.equal(r.status, 0, r.stderr);
  }
  const dns = heronCli(['domain', 'dns', 'heron.test'], env).stdout;
  const heron = startHeronProcess(env);
  try {
    await heron.waitFor(/"listener":"imap"/);
    const r = spawnSync('python3', [script, String(submission), String(imap), 'ann@heron.test', 'ann-secret-1', 'carol@remote.test'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    assert.equal(out.auth_before_tls, false, 'AUTH is not offered before STARTTLS (RFC 3207/6409)');
    assert.equal(out.unauth_send, '530');
    assert.equal(out.spoofed_sender, '553 5.7.1');
    assert.deepEqual(out.refused, []);
    assert.match(String(out.sent_status), /MESSAGES 1/);

    let timer: NodeJS.Timeout | undefined;
    await Promise.race([arrived, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('remote MX got nothing in 30 s')), 30_000)))]);
    clearTimeout(timer);
    assert.equal(received.length, 1);
    const raw = received[0]!;
    assert.match(raw.toString(), /^DKIM-Signature: /m);

    // Verify against the DNS record the CLI printed.
    const txt = /^heron\._domainkey\.heron\.test\. IN TXT (.+)$/m.exec(dns)![1]!.match(/"([^"]*)"/g)!.map((q) => q.slice(1, -1)).join('');
    const result = await authenticate(raw, {
      ip: '127.0.0.1',
      helo: 'mx.heron.test',
      mta: 'remote.test',
      sender: 'ann@heron.test',
      resolver: async (name: string, type: string) => {
        if (type === 'TXT' && name === 'heron._domainkey.heron.test') return [[txt]];
        const err = Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
        throw err;
      },
    });
    assert.equal(result.dkim.results[0]?.status.result, 'pass');
  } finally {
    heron.child.kill('SIGTERM');
    await heron.exited;
    await new Promise<void>((r) => remote.close(() => r()));
  }
});
