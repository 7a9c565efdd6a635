import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { createMemoryBlobStore } from '../helpers/memory-blobs.js';
import { createFakeStore, type FakeStore } from './helpers/fake-store.js';
import { startMx, type MxHarness } from './helpers/mx-harness.js';
import { PY_PRELUDE, python } from './helpers/python.js';
import { RawSmtp } from './helpers/raw-smtp.js';
import { preparedHeader } from '../helpers/stored-message.js';

const MSG = 'From: a@remote.test\r\nTo: ann@heron.test\r\nSubject: hi\r\nMessage-ID: <m1@remote.test>\r\n\r\nHello there\r\n';

describe('MX protocol (smtplib, nodemailer, raw sockets)', () => {
  let store: FakeStore;
  let mx: MxHarness;
  let ann: string;

  before(async () => {
    store = createFakeStore(['heron.test']);
    ann = store.addUser('ann@heron.test');
    store.addUser('off@heron.test', { disabled: true });
    const full = store.addUser('full@heron.test');
    store.quota.set(full, { used: 1000, limit: 1000 });
    for (let i = 0; i < 6; i++) store.addUser(`u${i}@heron.test`);
    mx = await startMx({ users: store.users, mail: store.mail, blobs: createMemoryBlobStore() });
  });
  after(async () => {
    await mx.close();
  });

  test('EHLO advertises the extensions and no AUTH', async () => {
    const r = await python<{ features: Record<string, string> }>(PY_PRELUDE + `
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=20)
s.ehlo('client.test')
print(json.dumps({'features': s.esmtp_features}))
s.quit()`, [String(mx.port)]);
    for (const f of ['pipelining', '8bitmime', 'smtputf8', 'enhancedstatuscodes', 'starttls', 'size']) assert.ok(f in r.features, f);
    assert.equal(r.features.size, String(1024 * 1024));
    assert.ok(!('auth' in r.features));
  });

  test('delivers to a local user with a Received header, 250 after the store commit', async () => {
    const before = store.delivered.length;
    const r = await python<{ mail: [number, string]; rcpt: [number, string]; data: [number, string] }>(PY_PRELUDE + `
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=20)
s.ehlo('client.test')
m = reply(s.mail('a@remote.test'))
r = reply(s.rcpt('Ann@HERON.test'))
d = reply(s.data(sys.argv[2].encode()))
print(json.dumps({'mail': m, 'rcpt': r, 'data': d}))
s.quit()`, [String(mx.port), MSG]);
    assert.equal(r.mail[0], 250);
    assert.equal(r.rcpt[0], 250);
    assert.equal(r.data[0], 250);
    assert.match(r.data[1], /^2\.0\.0 /);
    assert.equal(store.delivered.length, before + 1);
    const got = store.delivered.at(-1)!;
    assert.deepEqual(got.targets, [{ userId: ann, mailbox: { specialUse: '\\Inbox' } }]);
    assert.match(preparedHeader(got.message), /^Received: from client\.test \(\[127\.0\.0\.1\]\)\r\n\tby mx\.heron\.test \(Heron\) with ESMTP id /);
    assert.match(preparedHeader(got.message), /for <Ann@HERON\.test>;/);
    assert.equal(got.message.header.subject, 'hi');
    assert.deepEqual(readdirSync(mx.spoolDir), [], 'spool file removed');
  });

  test('RCPT replies: relay denied, unknown user, disabled, over quota, bad syntax', async () => {
    const r = await python<Record<string, [number, string]>>(PY_PRELUDE + `
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=20)
s.ehlo('client.test')
s.mail('a@remote.test')
out = {}
out['relay'] = reply(s.rcpt('victim@elsewhere.test'))
out['unknown'] = reply(s.rcpt('nobody@heron.test'))
out['disabled'] = reply(s.rcpt('off@heron.test'))
out['quota'] = reply(s.rcpt('full@heron.test'))
out['syntax'] = reply(s.docmd('RCPT TO:<no-at-sign>'))
out['ok'] = reply(s.rcpt('ann@heron.test'))
print(json.dumps(out))
s.quit()`, [String(mx.port)]);
    assert.deepEqual([r.relay![0], r.relay![1].slice(0, 5)], [554, '5.7.1']);
    assert.deepEqual([r.unknown![0], r.unknown![1].slice(0, 5)], [550, '5.1.1']);
    assert.deepEqual([r.disabled![0], r.disabled![1].slice(0, 5)], [550, '5.2.1']);
    assert.deepEqual([r.quota![0], r.quota![1].slice(0, 5)], [452, '4.2.2']);
    assert.equal(r.syntax![0], 501);
    assert.equal(r.ok![0], 250);
  });

  test('no open relay even with a local sender, null sender, or source route', async () => {
    const raw = await RawSmtp.open(mx.port);
    try {
      assert.match((await raw.reply())!, /^220 /);
      assert.match((await raw.command('EHLO client.test'))!, /^250/);
      assert.match((await raw.command('MAIL FROM:<ann@heron.test>'))!, /^250/);
      assert.match((await raw.command('RCPT TO:<x@elsewhere.test>'))!, /^554 5\.7\.1 /);
      assert.match((await raw.command('RCPT TO:<x%elsewhere.test@heron.test>'))!, /^550 5\.1\.1 /);
      assert.match((await raw.command('RCPT TO:<@heron.test:x@elsewhere.test>'))!, /^(501|554|550) /);
      assert.match((await raw.command('AUTH PLAIN AGFubgBwdw=='))!, /^50[02] /);
      assert.match((await raw.command('RSET'))!, /^250/);
      assert.match((await raw.command('MAIL FROM:<>'))!, /^250/);
      assert.match((await raw.command('RCPT TO:<x@elsewhere.test>'))!, /^554 5\.7\.1 /);
    } finally {
      raw.close();
    }
  });

  test('SIZE above the limit is refused at MAIL FROM (RFC 1870)', async () => {
    const raw = await RawSmtp.open(mx.port);
    try {
      await raw.reply();
      await raw.command('EHLO client.test');
      assert.match((await raw.command(`MAIL FROM:<a@remote.test> SIZE=${1024 * 1024 + 1}`))!, /^552 5\.3\.4 /);
      assert.match((await raw.command('MAIL FROM:<a@remote.test> SIZE=1000'))!, /^250/);
    } finally {
      raw.close();
    }
  });

  test('oversized DATA gets 552 5.3.4, nothing is stored or left in the spool, server keeps serving', async () => {
    const before = store.delivered.length;
    const big = 'X'.repeat(998) + '\r\n';
    const r = await python<{ data: [number, string]; noop: [number, string] }>(PY_PRELUDE + `
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=60)
s.ehlo('client.test')
s.mail('a@remote.test')
s.rcpt('ann@heron.test')
body = ('Subject: big\\r\\n\\r\\n' + sys.argv[2] * 1200).encode()
try:
    d = reply(s.data(body))
except smtplib.SMTPDataError as e:
    d = [e.smtp_code, e.smtp_error.decode()]
n = reply(s.noop())
print(json.dumps({'data': d, 'noop': n}))
s.quit()`, [String(mx.port), big]);
    assert.equal(r.data[0], 552);
    assert.match(r.data[1], /^5\.3\.4 /);
    assert.equal(r.noop[0], 250);
    assert.equal(store.delivered.length, before);
    assert.deepEqual(readdirSync(mx.spoolDir), []);
  });

  test('too many recipients: 452 4.5.3 past the limit', async () => {
    const raw = await RawSmtp.open(mx.port);
    try {
      await raw.reply();
      await raw.command('EHLO client.test');
      await raw.command('MAIL FROM:<a@remote.test>');
      for (let i = 0; i < 5; i++) assert.match((await raw.command(`RCPT TO:<u${i}@heron.test>`))!, /^250 /);
      // A repeat of an accepted address replaces it rather than counting again.
      assert.match((await raw.command('RCPT TO:<u0@heron.test>'))!, /^250 /);
      assert.match((await raw.command('RCPT TO:<u5@heron.test>'))!, /^452 4\.5\.3 /);
      assert.match((await raw.command('RSET'))!, /^250 /);
      assert.match((await raw.command('MAIL FROM:<a@remote.test>'))!, /^250 /);
      assert.match((await raw.command('RCPT TO:<u5@heron.test>'))!, /^250 /);
    } finally {
      raw.close();
    }
  });

  test('STARTTLS then delivery (RFC 3207)', async () => {
    const before = store.delivered.length;
    const r = await python<{ tls: [number, string]; data: [number, string] }>(PY_PRELUDE + `
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=20)
s.ehlo('client.test')
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
t = reply(s.starttls(context=ctx))
s.ehlo('client.test')
s.mail('a@remote.test')
s.rcpt('ann@heron.test')
d = reply(s.data(sys.argv[2].encode()))
print(json.dumps({'tls': t, 'data': d}))
s.quit()`, [String(mx.port), MSG]);
    assert.equal(r.tls[0], 220);
    assert.equal(r.data[0], 250);
    assert.equal(store.delivered.length, before + 1);
    assert.match(preparedHeader(store.delivered.at(-1)!.message), /with ESMTPS id /);
  });

  test('nodemailer delivers; a store failure is 451 4.3.0, not a 250 or a 5xx', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mx.port, secure: false, ignoreTLS: true, name: 'nm.test' });
    try {
      const info = await transport.sendMail({ from: 'x@remote.test', to: 'ann@heron.test', subject: 'via nodemailer', text: 'body' });
      assert.deepEqual(info.accepted, ['ann@heron.test']);
      store.failDeliver = true;
      await assert.rejects(
        transport.sendMail({ from: 'x@remote.test', to: 'ann@heron.test', subject: 'fails', text: 'body' }),
        (err: { responseCode?: number; response?: string }) => err.responseCode === 451 && /451 4\.3\.0/.test(err.response ?? ''),
      );
    } finally {
      store.failDeliver = false;
      transport.close();
    }
    assert.deepEqual(readdirSync(mx.spoolDir), []);
  });

  test('hostile input: garbage, NUL bytes, 100 KB line; each gets a protocol error and the server still serves', async () => {
    const raw = await RawSmtp.open(mx.port);
    try {
      await raw.reply();
      assert.match((await raw.command('\x01\x02garbage\xff'))!, /^500 /);
      assert.match((await raw.command(Buffer.from('EHLO a\0b\r\n')))!, /^50[01] /);
      assert.match((await raw.command('MAIL FROM:<a@remote.test>'))!, /^503 /, 'MAIL before EHLO');
      assert.match((await raw.command('EHLO client.test'))!, /^250/);
      assert.match((await raw.command('MAIL FROM:<<<>>>'))!, /^501 /);
      assert.match((await raw.command('DATA'))!, /^503 /);
      assert.match((await raw.command(Buffer.from('RCPT TO:<ann@heron.test\0>\r\n')))!, /^5\d\d /);
      const r = await raw.command('NOOP ' + 'A'.repeat(100 * 1024));
      assert.match(r ?? '421 closed', /^421 /);
    } finally {
      raw.close();
    }
    // The next client is served normally.
    const again = await RawSmtp.open(mx.port);
    try {
      assert.match((await again.reply())!, /^220 /);
      assert.match((await again.command('EHLO client.test'))!, /^250/);
      assert.match((await again.command('QUIT'))!, /^221 /);
    } finally {
      again.close();
    }
  });

  test('a stream of unknown commands is cut off with 421; an HTTP request gets 421 at once', async () => {
    const raw = await RawSmtp.open(mx.port);
    try {
      await raw.reply();
      let last: string | null = '';
      for (let i = 0; i < 20 && last !== null && !last.startsWith('421'); i++) last = await raw.command(`XYZZY${i}`);
      assert.match(last ?? '', /^421 /);
    } finally {
      raw.close();
    }
    const http = await RawSmtp.open(mx.port);
    try {
      await http.reply();
      assert.match((await http.command('POST / HTTP/1.1'))!, /^421 /);
    } finally {
      http.close();
    }
  });

  test('NUL bytes and bare LFs inside DATA are stored, not a crash', async () => {
    const before = store.delivered.length;
    const raw = await RawSmtp.open(mx.port);
    try {
      await raw.reply();
      await raw.command('EHLO client.test');
      await raw.command('MAIL FROM:<a@remote.test>');
      await raw.command('RCPT TO:<ann@heron.test>');
      assert.match((await raw.command('DATA'))!, /^354 /);
      raw.write(Buffer.from('Subject: nul\r\n\r\nbinary \0\0 here\nbare lf\r\n..dot-stuffed\r\n.\r\n', 'latin1'));
      assert.match((await raw.reply())!, /^250 2\.0\.0 /);
    } finally {
      raw.close();
    }
    assert.equal(store.delivered.length, before + 1);
  });

  test('pathological MIME nesting never gets a 4xx loop or a crash', async () => {
    let msg = '';
    for (let i = 0; i < 5000; i++) msg += `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`;
    msg += 'Content-Type: text/plain\r\n\r\nleaf\r\n';
    const raw = await RawSmtp.open(mx.port);
    try {
      await raw.reply();
      await raw.command('EHLO client.test');
      await raw.command('MAIL FROM:<a@remote.test>');
      await raw.command('RCPT TO:<ann@heron.test>');
      assert.match((await raw.command('DATA'))!, /^354 /);
      raw.write(msg + '.\r\n');
      // Either the codec copes (250) or the message is refused for good (554 5.6.0).
      assert.match((await raw.reply(60_000))!, /^(250 2\.0\.0|554 5\.6\.0) /);
      assert.match((await raw.command('NOOP'))!, /^250 /);
    } finally {
      raw.close();
    }
  });

  test('a client that vanishes mid-DATA leaves no spool file and no message', async () => {
    const before = store.delivered.length;
    const raw = await RawSmtp.open(mx.port);
    await raw.reply();
    await raw.command('EHLO client.test');
    await raw.command('MAIL FROM:<a@remote.test>');
    await raw.command('RCPT TO:<ann@heron.test>');
    await raw.command('DATA');
    raw.write('Subject: cut\r\n\r\n' + 'partial line\r\n'.repeat(1000));
    raw.close();
    // The server notices the close asynchronously; a bounded poll, not a timed assertion.
    for (let i = 0; i < 100 && readdirSync(mx.spoolDir).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(readdirSync(mx.spoolDir), []);
    assert.equal(store.delivered.length, before);
    const again = await RawSmtp.open(mx.port);
    assert.match((await again.reply())!, /^220 /);
    again.close();
  });

  test('too many refused recipients ends the session with 421', async () => {
    const raw = await RawSmtp.open(mx.port);
    try {
      await raw.reply();
      await raw.command('EHLO client.test');
      await raw.command('MAIL FROM:<a@remote.test>');
      let last: string | null = '';
      for (let i = 0; i < 30 && last !== null && !last.startsWith('421'); i++) last = await raw.command(`RCPT TO:<nobody${i}@heron.test>`);
      assert.match(last ?? '', /^421 4\.7\.0 /);
    } finally {
      raw.close();
    }
  });

  test('connections per IP: the one past the limit gets 421 4.7.0, and a slot frees on close', async () => {
    const open: RawSmtp[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const c = await RawSmtp.open(mx.port);
        open.push(c);
        assert.match((await c.reply())!, /^220 /);
      }
      const extra = await RawSmtp.open(mx.port);
      assert.match((await extra.reply())!, /^421 4\.7\.0 /);
      extra.close();
      open.pop()!.close();
      // The server learns of the close asynchronously: bounded retries until a slot is free.
      let greeting: string | null = null;
      for (let i = 0; i < 50 && !greeting?.startsWith('220'); i++) {
        const c = await RawSmtp.open(mx.port);
        greeting = await c.reply();
        if (greeting?.startsWith('220')) open.push(c);
        else c.close();
      }
      assert.match(greeting ?? '', /^220 /);
    } finally {
      for (const c of open) c.close();
    }
  });

  test('metrics count recipients by result', async () => {
    const text = await mx.registry.metrics();
    assert.match(text, /heron_mx_recipients_total\{result="relay_denied"\} [1-9]/);
    assert.match(text, /heron_delivery_messages_total\{outcome="delivered"\} [1-9]/);
  });
});
