import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { ensureCommand } from '../helpers/debian.js';
import { createMemoryBlobStore } from '../helpers/memory-blobs.js';
import { createFakeStore, type FakeStore } from './helpers/fake-store.js';
import { startMx, type MxHarness } from './helpers/mx-harness.js';
import { RawSmtp } from './helpers/raw-smtp.js';

/** Debian's swaks (with the Perl TLS modules its --tls needs), installed by the test as root when missing: CI starts clean. */
const SWAKS = ((): string => {
  try {
    return ensureCommand('swaks', 'swaks libnet-ssleay-perl libio-socket-ssl-perl');
  } catch {
    return '';
  }
})();

function swaks(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(SWAKS, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

describe('MX with swaks and pipelined raw input', { skip: SWAKS ? false : 'swaks not installed and not root (apt-get install swaks)' }, () => {
  let store: FakeStore;
  let mx: MxHarness;

  before(async () => {
    store = createFakeStore(['heron.test']);
    store.addUser('ann@heron.test');
    store.addUser('ännä@heron.test');
    mx = await startMx({ users: store.users, mail: store.mail, blobs: createMemoryBlobStore(), limits: { maxHeaderSize: 8192 } });
  });
  after(async () => {
    await mx.close();
  });

  test('swaks: STARTTLS + PIPELINING delivery', async () => {
    const n = store.delivered.length;
    const r = await swaks(['--server', '127.0.0.1', '--port', String(mx.port), '--helo', 'swaks.test', '--from', 'a@remote.test', '--to', 'ann@heron.test',
      '--tls', '--pipeline', '--header', 'Subject: from swaks', '--body', 'hello from swaks']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /<~ +250 2\.0\.0 OK: queued as /);
    assert.equal(store.delivered.length, n + 1);
    assert.equal(store.delivered.at(-1)!.message.header.subject, 'from swaks');
  });

  test('swaks: relay attempt is 554 5.7.1 and nothing is stored', async () => {
    const n = store.delivered.length;
    const r = await swaks(['--server', '127.0.0.1', '--port', String(mx.port), '--helo', 'swaks.test', '--from', 'ann@heron.test', '--to', 'someone@gmail.test']);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /<\*\* +554 5\.7\.1 Relay access denied/);
    assert.equal(store.delivered.length, n);
  });

  test('PIPELINING (RFC 2920): a whole transaction in one write, replies in order', async () => {
    const raw = await RawSmtp.open(mx.port);
    try {
      await raw.reply();
      await raw.command('EHLO client.test');
      raw.write('MAIL FROM:<a@remote.test> BODY=8BITMIME\r\nRCPT TO:<nobody@heron.test>\r\nRCPT TO:<ann@heron.test>\r\nDATA\r\n');
      assert.match((await raw.reply())!, /^250 /);
      assert.match((await raw.reply())!, /^550 5\.1\.1 /);
      assert.match((await raw.reply())!, /^250 /);
      assert.match((await raw.reply())!, /^354 /);
      raw.write('Subject: caf\xc3\xa9 8bit\r\n\r\n\xc3\xa9t\xc3\xa9\r\n.\r\nQUIT\r\n');
      assert.match((await raw.reply())!, /^250 2\.0\.0 /);
      assert.match((await raw.reply())!, /^221 /);
    } finally {
      raw.close();
    }
  });

  test('SMTPUTF8 (RFC 6531): UTF-8 addresses accepted and delivered', async () => {
    const n = store.delivered.length;
    const raw = await RawSmtp.open(mx.port);
    try {
      await raw.reply();
      await raw.command('EHLO client.test');
      assert.match((await raw.command(Buffer.from('MAIL FROM:<jörg@remote.test> SMTPUTF8\r\n')))!, /^250 /);
      assert.match((await raw.command(Buffer.from('RCPT TO:<ännä@heron.test>\r\n')))!, /^250 /);
      assert.match((await raw.command('DATA'))!, /^354 /);
      raw.write(Buffer.from('From: jörg@remote.test\r\nSubject: grüße\r\n\r\nhallo\r\n.\r\n'));
      assert.match((await raw.reply())!, /^250 /);
    } finally {
      raw.close();
    }
    assert.equal(store.delivered.length, n + 1);
  });

  test('a header block over the cap is 552 5.3.4; the session goes on', async () => {
    const n = store.delivered.length;
    const raw = await RawSmtp.open(mx.port);
    try {
      await raw.reply();
      await raw.command('EHLO client.test');
      await raw.command('MAIL FROM:<a@remote.test>');
      await raw.command('RCPT TO:<ann@heron.test>');
      await raw.command('DATA');
      raw.write(('X-Filler: ' + 'f'.repeat(900) + '\r\n').repeat(20) + '\r\nbody\r\n.\r\n');
      assert.match((await raw.reply())!, /^552 5\.3\.4 /);
      assert.match((await raw.command('NOOP'))!, /^250 /);
    } finally {
      raw.close();
    }
    assert.equal(store.delivered.length, n);
  });
});
