import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { DEFAULT_PREFERENCES, type MessageRecord, type PreferencesReader } from '../../domain/index.js';
import { createChecks, createRspamdLearner, createTableResolver, filterMetrics } from '../../filters/index.js';
import { readContent } from '../../mail/mime/index.js';
import { storedBytes } from '../helpers/stored-message.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/index.js';
import { startMx, type MxHarness } from '../smtp/helpers/mx-harness.js';
import { PY_PRELUDE, python } from '../smtp/helpers/python.js';
import { daemonEnv, EICAR, GTUBE, silentLogger, YJS } from './helpers.js';
import { startOwnClamd, type OwnClamd } from './clamd-process.js';

const skip =
  daemonEnv.rspamd && daemonEnv.clamdDb && daemonEnv.controller
    ? false
    : 'rspamd/clamd not running (HERON_TEST_RSPAMD_URL / HERON_TEST_CLAMD_DB unset; run via npm test)';

type SendResult = { rcpt: [number, string]; data: [number, string] | null };

/**
 * Through the real MX and delivery pipeline into SQLite, with real rspamd, a clamd of this test's
 * own (so it can be stopped) and Python's smtplib as the client.
 */
describe('MX with real filters, end to end', { skip }, () => {
  let dir: string;
  let store: SqliteStore;
  let mx: MxHarness;
  let clamd: OwnClamd;
  let ann: string;
  let blobs: ReturnType<typeof createFsBlobStore>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heron-filters-e2e-'));
    blobs = createFsBlobStore(join(dir, 'blobs'));
    store = await openSqliteStore({ path: join(dir, 'heron.db'), blobs, notifier: createMemoryNotifier() });
    await store.users.addDomain('heron.test');
    ann = (await store.users.createUser({ username: 'ann', address: 'ann@heron.test', password: 'pw-ann-123456' })).id;
    clamd = await startOwnClamd(daemonEnv.clamdDb!);
    const checks = createChecks({
      rspamdUrl: daemonEnv.rspamd!,
      clamd: clamd.address,
      resolver: createTableResolver({ 'remote.test': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] } }),
      hostname: 'mx.heron.test',
      timeoutMs: 10_000,
      logger: silentLogger,
      metrics: new Registry(),
    });
    const preferences: PreferencesReader = {
      async getPreferences() {
        return { ...DEFAULT_PREFERENCES, blockSenders: ['@blocked.test'] };
      },
    };
    mx = await startMx({ users: store.users, mail: store.mail, blobs, checks, preferences, filterFailure: 'tempfail' });
  });
  after(async () => {
    await mx?.close();
    await clamd?.stop();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function messages(path: string): Promise<MessageRecord[]> {
    const box = await store.mail.getMailbox(ann, path);
    assert.ok(box, path);
    const out: MessageRecord[] = [];
    for await (const m of store.mail.getMessages(box.id, { start: 1, end: Infinity }, { fields: ['header', 'content'] })) out.push(m);
    return out;
  }

  async function rawOf(m: MessageRecord): Promise<string> {
    return (await storedBytes(m.content!, blobs)).toString();
  }

  /** body: text of the message; attach: bytes base64-attached by Python's email package. */
  function send(opts: { subject: string; body: string; from?: string; attach?: string }): Promise<SendResult> {
    return python<SendResult>(
      PY_PRELUDE +
        `
from email.message import EmailMessage
port, subject, body, sender, attach = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
m = EmailMessage()
m['From'] = sender
m['To'] = 'ann@heron.test'
m['Subject'] = subject
m['Message-ID'] = '<' + subject.replace(' ', '-') + '@remote.test>'
m.set_content(body)
if attach:
    m.add_attachment(attach.encode(), maintype='application', subtype='octet-stream', filename='file.com')
s = smtplib.SMTP('127.0.0.1', port, timeout=30)
s.ehlo('client.remote.test')
s.mail(sender)
rc = reply(s.rcpt('ann@heron.test'))
data = None
if rc[0] == 250:
    code, text = s.data(m.as_bytes())
    data = [code, text.decode('utf-8', 'replace')]
s.quit()
print(json.dumps({'rcpt': rc, 'data': data}))`,
      [String(mx.port), opts.subject, opts.body, opts.from ?? 'sender@remote.test', opts.attach ?? ''],
    );
  }

  test('clean mail is delivered to INBOX with Authentication-Results and scan headers', async () => {
    const r = await send({ subject: 'clean one', body: 'Hi Ann, the minutes from Tuesday are below.' });
    assert.equal(r.data?.[0], 250, JSON.stringify(r));
    const inbox = await messages('INBOX');
    const m = inbox.find((x) => x.header?.subject === 'clean one');
    assert.ok(m);
    const raw = await rawOf(m);
    assert.match(raw, /^Authentication-Results: mx\.heron\.test;.*spf=pass/m);
    assert.match(raw, /^X-Spam-Status: No, score=/m);
    assert.match(raw, /^X-Virus-Scanned: ClamAV at mx\.heron\.test/m);
  });

  test('GTUBE gets 550 5.7.1 and nothing is stored', async () => {
    const r = await send({ subject: 'gtube one', body: `Cheap\n${GTUBE}\n` });
    assert.equal(r.data?.[0], 550);
    assert.match(r.data![1], /^5\.7\.1 /);
    for (const box of ['INBOX', 'Junk']) assert.ok(!(await messages(box)).some((m) => m.header?.subject === 'gtube one'));
  });

  test('EICAR as a base64 attachment gets 554 5.7.1 naming the virus', async () => {
    const r = await send({ subject: 'eicar one', body: 'see attachment', attach: EICAR });
    assert.equal(r.data?.[0], 554);
    assert.match(r.data![1], /^5\.7\.1 .*virus.*Eicar/i);
  });

  test('the YJS pattern (rspamd add header) lands in Junk', async () => {
    const r = await send({ subject: 'yjs one', body: `Maybe\n${YJS}\n` });
    assert.equal(r.data?.[0], 250);
    const junk = await messages('Junk');
    const m = junk.find((x) => x.header?.subject === 'yjs one');
    assert.ok(m, 'in Junk');
    assert.match(await rawOf(m), /^X-Spam-Status: Yes/m);
  });

  test('a block-listed sender is refused', async () => {
    const r = await send({ subject: 'blocked one', body: 'hello', from: 'x@blocked.test' });
    const code = r.data ? r.data[0] : r.rcpt[0];
    assert.ok(code >= 500 && code < 600, JSON.stringify(r));
  });

  test('moving the delivered message into Junk teaches rspamd (learned count rises)', async () => {
    const registry = new Registry();
    const learner = createRspamdLearner({
      controllerUrl: daemonEnv.controller!,
      loadRaw: async (userId, id) => {
        const m = await store.mail.getMessageById(userId, id, ['content']);
        if (!m?.content) throw new Error('gone');
        return readContent(m.content, blobs);
      },
      timeoutMs: 10_000,
      logger: silentLogger,
      metrics: filterMetrics(registry),
    });
    const unique = `newsletter ${Date.now()} ${Math.random()}`;
    const words = Array.from({ length: 60 }, (_, i) => `promo${i} ${unique.replace(/\W/g, '')}${i}`).join(' ');
    assert.equal((await send({ subject: 'learn one', body: words })).data?.[0], 250);
    const m = (await messages('INBOX')).find((x) => x.header?.subject === 'learn one')!;
    const stat = async () => ((await (await fetch(new URL('/stat', daemonEnv.controller))).json()) as { learned: number }).learned;
    const before = await stat();
    learner.messagesMoved({
      userId: ann,
      from: (await store.mail.getMailbox(ann, 'INBOX'))!,
      to: (await store.mail.getMailbox(ann, 'Junk'))!,
      messageIds: [m.id],
    });
    await learner.idle();
    assert.ok((await stat()) - before >= 1);
    assert.match(await registry.metrics(), /heron_filter_learn_total\{class="spam",outcome="ok"\} 1/);
  });

  test('clamd stopped: a clean message gets 451 4.7.0, nothing stored, and the server keeps serving', async () => {
    await clamd.stop();
    const r = await send({ subject: 'while down', body: 'Hello again' });
    assert.equal(r.data?.[0], 451);
    assert.match(r.data![1], /^4\.7\.0 /);
    assert.ok(!(await messages('INBOX')).some((m) => m.header?.subject === 'while down'));
    // Still serving: a spam verdict is final even with a scanner down.
    const g = await send({ subject: 'gtube two', body: `x\n${GTUBE}\n` });
    assert.equal(g.data?.[0], 550);
  });
});
