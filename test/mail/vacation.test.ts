import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { DEFAULT_PREFERENCES, type Preferences } from '../../domain/index.js';
import { createDeliveryPipeline } from '../../mail/delivery/index.js';
import { prepareMessage } from '../../mail/mime/index.js';
import { autoReplyRefusal, createVacationResponder, inVacationWindow, withVacation } from '../../mail/vacation/index.js';
import { createMxServer, type MxServer } from '../../smtp/mx/index.js';
import { createSqliteVacationLog } from '../../store/sqlite/queue/index.js';
import { makeSelfSignedCert } from '../helpers/tls.js';
import { startEnv, startRemoteMx, testResolver, waitFor, type Env, type RemoteMx } from '../outbound/harness.js';

describe('vacation responder (RFC 3834)', () => {
  let certDir: string;
  let remote: RemoteMx;
  let env: Env;
  let mx: MxServer;
  let mxPort: number;

  before(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'heron-vac-'));
    remote = await startRemoteMx(makeSelfSignedCert(certDir));
    env = await startEnv({ resolver: testResolver({ 'remote.test': [{ exchange: 'mx.remote.test', priority: 10 }] }), port: remote.port });
    const annPrefs: Preferences = { ...DEFAULT_PREFERENCES, vacation: { enabled: true, subject: 'Away', body: 'I am away until Monday.\nRegards', start: null, end: null } };
    const preferences = { getPreferences: async (id: string) => (id === env.ann ? annPrefs : DEFAULT_PREFERENCES) };
    const responder = createVacationResponder({
      preferences,
      log: createSqliteVacationLog(env.store.db),
      queue: env.queue,
      users: env.store.users,
      mail: env.store.mail,
      blobs: env.blobs,
      prepareMessage,
      logger: env.logger,
      getDkimKey: (d) => (d === 'heron.test' ? env.dkim : null),
      onQueued: () => env.worker.wake(),
    });
    const pipeline = createDeliveryPipeline({ users: env.store.users, mail: env.store.mail, blobs: env.blobs, checks: [], preferences, hostname: 'mx.heron.test', logger: env.logger, metrics: env.registry, filterFailure: 'tempfail' });
    mx = createMxServer({
      users: env.store.users,
      mail: env.store.mail,
      pipeline: withVacation(pipeline, responder),
      logger: env.logger,
      metrics: env.registry,
      hostname: 'mx.heron.test',
      tls: env.tls,
      spoolDir: join(env.dir, 'mx-spool'),
      limits: { maxMessageSize: 1024 * 1024, maxRecipients: 10, maxConnectionsPerIp: 10, socketTimeoutMs: 10_000, closeTimeoutMs: 500 },
    });
    mxPort = await mx.listen(0, '127.0.0.1');
  });
  after(async () => {
    await mx.close();
    await env.close();
    await remote.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  async function sendToAnn(from: string, headers: Record<string, string> = {}, subject = 'Question') {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: mxPort, secure: false, tls: { rejectUnauthorized: false } });
    await t.sendMail({ envelope: { from, to: ['ann@heron.test'] }, from: from || 'daemon@remote.test', to: 'ann@heron.test', subject, text: 'hello', headers, messageId: `<${Math.random().toString(36).slice(2)}@remote.test>` });
    t.close();
  }

  test('replies once per sender, from the null sender, marked auto-replied and threaded', async () => {
    await sendToAnn('frank@remote.test', {}, 'First question');
    const reply = await waitFor(async () => remote.received.find((r) => r.to.includes('frank@remote.test')), 'vacation reply');
    const text = reply.raw.toString();
    assert.equal(reply.from, '', 'MAIL FROM:<> (RFC 3834 3.3)');
    assert.match(text, /^Auto-Submitted: auto-replied\r$/m);
    assert.match(text, /^Subject: Away\r$/m);
    assert.match(text, /^From: (Ann )?<ann@heron\.test>\r$/m);
    assert.match(text, /^In-Reply-To: <[^>]+@remote\.test>\r$/m);
    assert.match(text, /^References: <[^>]+@remote\.test>\r$/m);
    assert.match(text, /^DKIM-Signature: /m);
    assert.match(Buffer.from(text.split('\r\n\r\n')[1]!.replace(/\r\n/g, ''), 'base64').toString(), /I am away until Monday/);

    await sendToAnn('frank@remote.test', {}, 'Second question');
    await waitFor(async () => (await env.messages(env.ann, 'INBOX')).some((m) => m.header!.subject === 'Second question'), 'second delivery');
    // The worker has nothing queued: had a second reply been made it would be in the queue or delivered.
    await waitFor(async () => (await env.queue.count()) === 0 || null, 'queue idle');
    assert.equal(remote.received.filter((r) => r.to.includes('frank@remote.test')).length, 1, 'one reply per period');
  });

  test('no reply to lists, bulk, auto-submitted mail, the null sender or MAILER-DAEMON', async () => {
    await sendToAnn('list@remote.test', { 'List-Id': '<news.remote.test>' });
    await sendToAnn('bulk@remote.test', { Precedence: 'bulk' });
    await sendToAnn('robot@remote.test', { 'Auto-Submitted': 'auto-generated' });
    await sendToAnn('MAILER-DAEMON@remote.test');
    await sendToAnn('');
    await sendToAnn('gina@remote.test', {}, 'Control');
    await waitFor(async () => remote.received.find((r) => r.to.includes('gina@remote.test')), 'control reply');
    for (const s of ['list@remote.test', 'bulk@remote.test', 'robot@remote.test', 'MAILER-DAEMON@remote.test']) {
      assert.ok(!remote.received.some((r) => r.to.includes(s)), `no reply to ${s}`);
    }
  });

  test('a local sender gets the reply in their INBOX', async () => {
    await sendToAnn('bob@heron.test', {}, 'Lunch?');
    const replies = await waitFor(async () => {
      const l = (await env.messages(env.bob, 'INBOX')).filter((m) => m.header!.subject === 'Away');
      return l.length ? l : null;
    }, 'local reply');
    assert.equal(replies.length, 1);
  });

  test('rules and window, directly', () => {
    assert.equal(autoReplyRefusal('', 'Subject: x'), 'null sender');
    assert.equal(autoReplyRefusal('a@b.test', 'Auto-Submitted: no\r\nSubject: x'), null);
    assert.equal(autoReplyRefusal('a@b.test', 'Precedence: junk'), 'precedence junk');
    assert.equal(autoReplyRefusal('owner-list@b.test', 'Subject: x'), 'automated sender');
    assert.equal(autoReplyRefusal('a@b.test', 'List-Unsubscribe: <mailto:u@b.test>'), 'mailing list');
    assert.equal(autoReplyRefusal('a@b.test', 'Subject: \u0000\u0001 garbage\r\n\tcontinued'), null);
    const now = new Date('2030-06-15T12:00:00Z');
    assert.equal(inVacationWindow('2030-06-01', '2030-06-15', now), true, 'end date includes its whole day');
    assert.equal(inVacationWindow('2030-06-16', null, now), false);
    assert.equal(inVacationWindow(null, '2030-06-14', now), false);
    assert.equal(inVacationWindow('not a date', 'nope', now), true, 'unparseable bounds are ignored');
  });
});
