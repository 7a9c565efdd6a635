import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SmtpReplies } from '../../domain/index.js';
import { prepareMessage } from '../../mail/mime/index.js';
import { createSubmissionServer, createSubmitter, type SubmissionServer } from '../../smtp/submission/index.js';
import { makeSelfSignedCert } from '../helpers/tls.js';
import { startEnv, startRemoteMx, testResolver, waitFor, type Env, type RemoteMx } from '../outbound/harness.js';
import { PY_PRELUDE, python } from './helpers/python.js';

type Reply = [number, string];

describe('SMTP submission (587 STARTTLS, 465 implicit TLS)', () => {
  let certDir: string;
  let remote: RemoteMx;
  let env: Env;
  let starttls: SubmissionServer;
  let implicit: SubmissionServer;
  let port587: number;
  let port465: number;

  before(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'heron-sub-remote-'));
    remote = await startRemoteMx(makeSelfSignedCert(certDir));
    env = await startEnv({ resolver: testResolver({ 'remote.test': [{ exchange: 'mx.remote.test', priority: 10 }] }), port: remote.port });
    const common = { ...env.submitterOptions, submitter: env.submitter, tls: env.tls, limits: { maxMessageSize: 64 * 1024, socketTimeoutMs: 10_000, closeTimeoutMs: 500 } };
    starttls = createSubmissionServer({ ...common, secure: false });
    implicit = createSubmissionServer({ ...common, secure: true });
    port587 = await starttls.listen(0, '127.0.0.1');
    port465 = await implicit.listen(0, '127.0.0.1');
  });
  after(async () => {
    await starttls.close();
    await implicit.close();
    await env.close();
    await remote.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  const transport = (secure: boolean, user = 'ann@heron.test', pass = 'ann-secret-pw') =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: secure ? port465 : port587,
      secure,
      requireTLS: !secure,
      tls: { rejectUnauthorized: false },
      auth: { user, pass },
    });

  test('nodemailer: STARTTLS + AUTH, one local and one remote recipient; Sent copy once', async () => {
    const t = transport(false);
    const info = await t.sendMail({
      from: 'Ann <ann@heron.test>',
      to: ['bob@heron.test', 'carol@remote.test'],
      bcc: 'hidden@remote.test',
      subject: 'Hello from nodemailer',
      text: 'Hi both',
      messageId: '<nm-1@heron.test>',
    });
    t.close();
    assert.deepEqual(info.accepted.sort(), ['bob@heron.test', 'carol@remote.test', 'hidden@remote.test']);
    assert.match(info.response, /^250 /);
    const bobInbox = await env.messages(env.bob, 'INBOX');
    assert.equal(bobInbox.filter((m) => m.header!.subject === 'Hello from nodemailer').length, 1, 'local copy committed before 250');
    const bobRaw = (await env.rawOf(env.bob, 'INBOX')).find((r) => r.includes('Hello from nodemailer'))!;
    assert.match(bobRaw, /with ESMTPSA/);
    assert.doesNotMatch(bobRaw, /hidden@remote\.test/, 'Bcc not disclosed');
    const sent = await env.messages(env.ann, 'Sent');
    assert.equal(sent.filter((m) => m.header!.messageId === '<nm-1@heron.test>').length, 1);
    assert.ok(sent.find((m) => m.header!.messageId === '<nm-1@heron.test>')!.flags.includes('\\Seen'));
    await waitFor(async () => remote.received.filter((r) => r.raw.includes('Hello from nodemailer')).flatMap((r) => r.to).length === 2, 'both remote recipients');
    for (const r of remote.received.filter((x) => x.raw.includes('Hello from nodemailer'))) {
      assert.match(r.raw.toString(), /^DKIM-Signature: .*d=heron\.test/s);
      assert.doesNotMatch(r.raw.toString(), /^Bcc:/im);
    }
  });

  test('a client that already stored the message in Sent gets no duplicate', async () => {
    const raw = Buffer.from('From: ann@heron.test\r\nTo: bob@heron.test\r\nSubject: Pre-stored\r\nMessage-ID: <dup-1@heron.test>\r\n\r\nx\r\n');
    const sentBox = (await env.store.mail.getSpecialMailbox(env.ann, '\\Sent'))!;
    await env.store.mail.append(env.ann, sentBox.id, await prepareMessage(raw, { put: async () => ({ id: '', size: 0 }), has: async () => false, createReadStream: () => { throw new Error('unused'); }, delete: async () => undefined }));
    const t = transport(false);
    await t.sendMail({ envelope: { from: 'ann@heron.test', to: ['bob@heron.test'] }, raw });
    t.close();
    const sent = await env.messages(env.ann, 'Sent');
    assert.equal(sent.filter((m) => m.header!.messageId === '<dup-1@heron.test>').length, 1);
  });

  test('nodemailer over implicit TLS (465) with an alias as sender', async () => {
    const t = transport(true, 'ann', 'ann-secret-pw');
    const info = await t.sendMail({ from: 'ann.alias@heron.test', to: 'bob@heron.test', subject: 'Via 465', text: 'tls' });
    t.close();
    assert.deepEqual(info.accepted, ['bob@heron.test']);
    assert.ok((await env.messages(env.bob, 'INBOX')).some((m) => m.header!.subject === 'Via 465'));
  });

  test("Python smtplib: STARTTLS + AUTH PLAIN on 587, AUTH LOGIN over SMTP_SSL on 465", async () => {
    const out = await python<{ a: Reply; b: Reply; c: Reply }>(PY_PRELUDE + `
port, port465 = int(sys.argv[1]), int(sys.argv[2])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
msg = 'From: ann@heron.test\\r\\nTo: bob@heron.test\\r\\nSubject: From Python 587\\r\\n\\r\\nhi\\r\\n'
s = smtplib.SMTP('127.0.0.1', port, timeout=20); s.ehlo(); s.starttls(context=ctx); s.ehlo()
a = reply(s.login('ann@heron.test', 'ann-secret-pw'))
s.sendmail('ann@heron.test', ['bob@heron.test'], msg)
b = reply(s.noop()); s.quit()
s = smtplib.SMTP_SSL('127.0.0.1', port465, timeout=20, context=ctx); s.ehlo()
s.user, s.password = 'ann@heron.test', 'ann-secret-pw'
c = reply(s.auth('LOGIN', s.auth_login))
s.sendmail('ann@heron.test', ['bob@heron.test'], msg.replace('587', '465')); s.quit()
print(json.dumps({'a': a, 'b': b, 'c': c}))
`, [String(port587), String(port465)]);
    assert.equal(out.a[0], 235);
    assert.equal(out.b[0], 250);
    assert.equal(out.c[0], 235);
    const subjects = (await env.messages(env.bob, 'INBOX')).map((m) => m.header!.subject);
    assert.ok(subjects.includes('From Python 587'));
    assert.ok(subjects.includes('From Python 465'));
  });

  test('AUTH before STARTTLS is refused (538), mail without AUTH is refused (530), bad password 535', async () => {
    const out = await python<{ auth: Reply; mail: Reply; rcpt: Reply; bad: Reply }>(PY_PRELUDE + `
port = int(sys.argv[1])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP('127.0.0.1', port, timeout=20); s.ehlo()
import base64
auth = reply(s.docmd('AUTH', 'PLAIN ' + base64.b64encode(b'\\0ann@heron.test\\0ann-secret-pw').decode()))
mail = reply(s.docmd('MAIL', 'FROM:<ann@heron.test>'))
rcpt = reply(s.docmd('RCPT', 'TO:<carol@remote.test>'))
s.starttls(context=ctx); s.ehlo()
bad = reply(s.docmd('AUTH', 'PLAIN ' + base64.b64encode(b'\\0ann@heron.test\\0wrong').decode()))
s.quit()
print(json.dumps({'auth': auth, 'mail': mail, 'rcpt': rcpt, 'bad': bad}))
`, [String(port587)]);
    assert.equal(out.auth[0], 538);
    assert.equal(out.mail[0], SmtpReplies.authRequired.code);
    assert.match(out.mail[1], /^5\.7\.0 /);
    assert.ok(out.rcpt[0] >= 500, 'no relay without AUTH');
    assert.equal(out.bad[0], 535);
    assert.match(out.bad[1], /^5\.7\.8 /);
  });

  test('spoofed envelope sender or From header: 553 5.7.1', async () => {
    const out = await python<{ env: Reply; data: Reply; after: Reply }>(PY_PRELUDE + `
port = int(sys.argv[1])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP('127.0.0.1', port, timeout=20); s.ehlo(); s.starttls(context=ctx); s.ehlo(); s.login('ann@heron.test', 'ann-secret-pw')
env = reply(s.docmd('MAIL', 'FROM:<bob@heron.test>'))
s.rset()
s.mail('ann@heron.test'); s.rcpt('carol@remote.test')
data = reply(s.data('From: Bob <bob@heron.test>\\r\\nTo: carol@remote.test\\r\\nSubject: spoof\\r\\n\\r\\nx\\r\\n'))
after = reply(s.noop()); s.quit()
print(json.dumps({'env': env, 'data': data, 'after': after}))
`, [String(port587)]);
    assert.equal(out.env[0], 553);
    assert.match(out.env[1], /^5\.7\.1 /);
    assert.equal(out.data[0], 553);
    assert.match(out.data[1], /^5\.7\.1 /);
    assert.equal(out.after[0], 250, 'session still usable');
    assert.ok(!remote.received.some((r) => r.raw.includes('Subject: spoof')));
  });

  test('hostile input: NUL bytes, garbage, unknown local user, oversized message; the server still serves', async () => {
    const out = await python<{ nul: Reply; garbage: Reply; unknown: Reply; big: Reply; nofrom: Reply; ok: Reply }>(PY_PRELUDE + `
port = int(sys.argv[1])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = smtplib.SMTP('127.0.0.1', port, timeout=20); s.ehlo(); s.starttls(context=ctx); s.ehlo(); s.login('ann@heron.test', 'ann-secret-pw')
s.send(b'MAIL FROM:<ann\\x00@heron.test>\\r\\n'); nul = reply(s.getreply())
s.send(b'\\xff\\xfe GARBAGE ' + b'A' * 300 + b'\\r\\n'); garbage = reply(s.getreply())
s.rset(); s.mail('ann@heron.test')
unknown = reply(s.docmd('RCPT', 'TO:<nosuchuser@heron.test>'))
s.rcpt('bob@heron.test')
try:
    big = reply(s.data('From: ann@heron.test\\r\\nSubject: big\\r\\n\\r\\n' + ('x' * 998 + '\\r\\n') * 100))
except smtplib.SMTPDataError as e:
    big = [e.smtp_code, e.smtp_error.decode()]
s.rset(); s.mail('ann@heron.test'); s.rcpt('bob@heron.test')
nofrom = reply(s.data('Subject: no from\\r\\n\\r\\nx\\r\\n'))
s.rset(); s.mail('ann@heron.test'); s.rcpt('bob@heron.test')
ok = reply(s.data('From: ann@heron.test\\r\\nSubject: after hostile\\r\\n\\r\\nfine\\r\\n'))
s.quit()
print(json.dumps({'nul': nul, 'garbage': garbage, 'unknown': unknown, 'big': big, 'nofrom': nofrom, 'ok': ok}))
`, [String(port587)]);
    assert.ok(out.nul[0] >= 500 && out.nul[0] < 600, `NUL in address: ${out.nul}`);
    assert.ok(out.garbage[0] >= 500, `garbage: ${out.garbage}`);
    assert.equal(out.unknown[0], 550);
    assert.match(out.unknown[1], /^5\.1\.1 /);
    assert.equal(out.big[0], 552);
    assert.equal(out.nofrom[0], 550);
    assert.match(out.nofrom[1], /^5\.6\.0 /);
    assert.equal(out.ok[0], 250);
  });

  test('submitMessage (REST API path): result lists queued and delivered; rate limit answers 451 4.7.1', async () => {
    const res = await env.submitter.submitMessage({
      user: { id: env.ann, address: 'ann@heron.test' },
      envelope: { mailFrom: 'ann@heron.test', rcptTo: ['bob@heron.test', 'zed@remote.test'] },
      raw: Buffer.from('From: ann@heron.test\r\nTo: bob@heron.test, zed@remote.test\r\nSubject: API send\r\n\r\nvia api\r\n'),
    });
    assert.deepEqual(res.delivered, ['bob@heron.test']);
    assert.deepEqual(res.queued, ['zed@remote.test']);
    assert.match(res.messageId, /^<.+@heron\.test>$/, 'Message-ID added');
    await assert.rejects(
      env.submitter.submitMessage({ user: { id: env.ann, address: 'ann@heron.test' }, envelope: { mailFrom: 'bob@heron.test', rcptTo: ['zed@remote.test'] }, raw: Buffer.from('From: bob@heron.test\r\n\r\nx') }),
      (err: { reply?: { code: number; enhanced: string } }) => err.reply?.code === 553 && err.reply.enhanced === '5.7.1',
    );
    const limited = createSubmitter({ ...env.submitterOptions, limits: { messagesPerHour: 1 } });
    const send = () => limited.submitMessage({ user: { id: env.ann, address: 'ann@heron.test' }, envelope: { mailFrom: 'ann@heron.test', rcptTo: ['bob@heron.test'] }, raw: Buffer.from('From: ann@heron.test\r\nSubject: rl\r\n\r\nx\r\n') });
    await send();
    await assert.rejects(send(), (err: { reply?: { code: number; enhanced: string } }) => err.reply?.code === 451 && err.reply.enhanced === '4.7.1');
  });
});
