import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { MessageCheck, MessageRecord, Notifier } from '../../domain/index.js';
import { createImapServer, type ImapServer } from '../../imap/index.js';
import { makeSelfSignedCert } from '../helpers/tls.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/index.js';
import { startMx, type MxHarness } from './helpers/mx-harness.js';
import { PY_PRELUDE, python } from './helpers/python.js';

/** End to end over the real SQLite store: what got 250 is in the right mailboxes. */
describe('MX into the SQLite store', () => {
  let dir: string;
  let store: SqliteStore;
  let mx: MxHarness;
  let ann: string;
  let bob: string;
  let notifier: Notifier;
  let imap: ImapServer;
  let imapPort: number;

  const spamCheck: MessageCheck = {
    name: 'subject-spam',
    async check(ctx) {
      let raw = '';
      for await (const c of ctx.openRaw()) raw += c.toString();
      return /^Subject: SPAM/m.test(raw)
        ? { filter: 'subject-spam', action: 'junk', headers: [['X-Spam-Flag', 'YES']] }
        : { filter: 'subject-spam', action: 'accept' };
    },
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heron-mx-sqlite-'));
    const blobs = createFsBlobStore(join(dir, 'blobs'));
    notifier = createMemoryNotifier();
    store = await openSqliteStore({ path: join(dir, 'heron.db'), blobs, notifier });
    await store.users.addDomain('heron.test');
    ann = (await store.users.createUser({ username: 'ann', address: 'ann@heron.test', password: 'pw-ann-123456', verified: true })).id;
    bob = (await store.users.createUser({ username: 'bob', address: 'bob@heron.test', password: 'pw-bob-123456', verified: true })).id;
    await store.users.addAddress(bob, 'robert@heron.test');
    mx = await startMx({ users: store.users, mail: store.mail, blobs, checks: [spamCheck] });
    imap = createImapServer({
      users: store.users, mail: store.mail, blobs, notifier, logger: pino({ level: 'silent' }), metrics: new Registry(),
      hostname: 'imap.heron.test', secure: false, tls: makeSelfSignedCert(dir), allowInsecureAuth: true,
    });
    imapPort = await imap.listen(0, '127.0.0.1');
  });
  after(async () => {
    await imap.close();
    await mx.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function messages(userId: string, path: string): Promise<MessageRecord[]> {
    const box = await store.mail.getMailbox(userId, path);
    assert.ok(box, path);
    const out: MessageRecord[] = [];
    for await (const m of store.mail.getMessages(box.id, { start: 1, end: Infinity }, { fields: ['header', 'flags'] })) out.push(m);
    return out;
  }

  async function send(rcpts: string[], subject: string, messageId: string) {
    return python<{ refused: Record<string, [number, string]>; data: [number, string] | null; error?: string }>(PY_PRELUDE + `
rcpts = json.loads(sys.argv[2])
msg = ('From: sender@remote.test\\r\\nTo: ' + ', '.join(rcpts) + '\\r\\nSubject: ' + sys.argv[3] + '\\r\\nMessage-ID: ' + sys.argv[4] + '\\r\\n\\r\\nBody text\\r\\n').encode()
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=20)
s.ehlo('client.test')
s.mail('sender@remote.test')
refused = {}
for r in rcpts:
    c = reply(s.rcpt(r))
    if c[0] != 250: refused[r] = c
data = reply(s.data(msg)) if len(refused) < len(rcpts) else None
s.quit()
print(json.dumps({'refused': refused, 'data': data}))`, [String(mx.port), JSON.stringify(rcpts), subject, messageId]);
  }

  test('one transaction delivers to every recipient; alias and primary give one copy', async () => {
    const r = await send(['ann@heron.test', 'bob@heron.test', 'robert@heron.test', 'ghost@heron.test'], 'hello all', '<e2e-1@remote.test>');
    assert.deepEqual(Object.keys(r.refused), ['ghost@heron.test']);
    assert.match(r.refused['ghost@heron.test']![1], /^5\.1\.1 /);
    assert.equal(r.data![0], 250);
    const a = await messages(ann, 'INBOX');
    const b = await messages(bob, 'INBOX');
    assert.equal(a.length, 1);
    assert.equal(b.length, 1);
    assert.equal(a[0]!.header!.messageId, '<e2e-1@remote.test>');
    assert.equal(b[0]!.header!.subject, 'hello all');
  });

  test('a junk verdict files into Junk with the check\'s header', async () => {
    const r = await send(['ann@heron.test'], 'SPAM offer', '<e2e-2@remote.test>');
    assert.equal(r.data![0], 250);
    const junk = await messages(ann, 'Junk');
    assert.equal(junk.length, 1);
    assert.equal(junk[0]!.header!.messageId, '<e2e-2@remote.test>');
    assert.equal((await messages(ann, 'INBOX')).length, 1);
  });

  test('quota: a full mailbox is refused at RCPT with 452 4.2.2', async () => {
    const q = await store.mail.getQuota(bob);
    await store.users.updateUser(bob, { quota: Math.max(1, q.used) });
    try {
      const r = await send(['bob@heron.test'], 'too much', '<e2e-3@remote.test>');
      assert.equal(r.refused['bob@heron.test']![0], 452);
      assert.match(r.refused['bob@heron.test']![1], /^4\.2\.2 /);
    } finally {
      await store.users.updateUser(bob, { quota: 0 });
    }
  });

  test('IMAP (imapflow) in IDLE sees the MX delivery, and the source is Received + the message as sent', async () => {
    const client = new ImapFlow({ host: '127.0.0.1', port: imapPort, secure: false, auth: { user: 'ann@heron.test', pass: 'pw-ann-123456' }, logger: false, tls: { rejectUnauthorized: false } });
    await client.connect();
    try {
      const box = await client.mailboxOpen('INBOX');
      const before = box.exists;
      {
        // IDLE ends by itself when the next command (FETCH below) is issued.
        void client.idle();
        // Bounded wait for the push; the bound only turns a hang into a failure.
        const ac = new AbortController();
        const timer = setTimeout(() => ac.abort(), 30_000);
        const seen = once(client, 'exists', { signal: ac.signal });
        const r = await send(['ann@heron.test'], 'over imap', '<e2e-imap@remote.test>');
        assert.equal(r.data![0], 250);
        const [ev] = (await seen) as [{ count: number }];
        clearTimeout(timer);
        assert.equal(ev.count, before + 1);
        const msg = await client.fetchOne('*', { source: true, envelope: true });
        assert.ok(msg && msg.source);
        const source = msg.source.toString();
        assert.match(source, /^Received: from client\.test \(\[127\.0\.0\.1\]\)\r\n\tby mx\.heron\.test \(Heron\) with ESMTP id \S+\r\n\tfor <ann@heron\.test>;\r\n\t[^\r]+\r\nFrom: sender@remote\.test\r\n/);
        assert.ok(source.endsWith('\r\n\r\nBody text\r\n'));
        assert.equal(msg.envelope?.messageId, '<e2e-imap@remote.test>');
      }
    } finally {
      await client.logout();
    }
  });
});
