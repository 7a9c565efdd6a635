import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { MailStore } from '../../domain/index.js';
import { StoreError } from '../../domain/index.js';
import { ImapCodes } from '../../imap/index.js';
import { startHarness, PASSWORD, type Harness } from './harness.js';
import { RawSocket } from './raw-client.js';

const require = createRequire(import.meta.url);
const MailComposer = require('nodemailer/lib/mail-composer') as new (mail: object) => { compile(): { build(): Promise<Buffer> } };

describe('IMAP hook failures become tagged NO, large messages stream', () => {
  let h: Harness;
  const sockets: RawSocket[] = [];
  before(async () => {
    // A store whose search and status fail the way a broken backend would.
    h = await startHarness({
      wrapMail: (m: MailStore): MailStore => ({
        ...m,
        searchUids: async () => {
          throw new Error('disk on fire');
        },
        getMailboxStatus: async (id: string) => {
          const box = await m.getMailboxStatus(id);
          if (box.messages > 1000) throw new StoreError('conflict', 'busy');
          return box;
        },
        getQuota: () => Promise.reject(new TypeError('boom')),
        append: (userId, mailboxId, message, opts) =>
          message.header.subject === 'fail-me' ? Promise.reject(new StoreError('quota_exceeded', 'full')) : m.append(userId, mailboxId, message, opts),
      }),
    });
  });
  after(async () => {
    for (const s of sockets) s.close();
    await h.close();
  });

  test('a throwing store method answers NO [SERVERBUG] and the session keeps serving', async () => {
    const s = await RawSocket.connect(h.securePort, true);
    sockets.push(s);
    assert.match(await s.command('L1', `LOGIN alice@example.test "${PASSWORD}"`), /^L1 OK/);
    assert.match(await s.command('S1', 'SELECT INBOX'), /^S1 OK/);
    assert.match(await s.command('Q1', 'UID SEARCH ALL'), new RegExp(`^Q1 NO \\[${ImapCodes.serverBug}\\]`));
    assert.match(await s.command('Q2', 'GETQUOTAROOT INBOX'), new RegExp(`^Q2 NO \\[${ImapCodes.serverBug}\\]`));
    assert.match(await s.command('Q3', 'STATUS NoSuchBox (MESSAGES)'), new RegExp(`^Q3 NO \\[${ImapCodes.nonexistent}\\]`));
    assert.match(await s.command('N1', 'NOOP'), /^N1 OK/);
  });

  test('MULTIAPPEND is all or nothing: a store failure on a later message takes the earlier ones back (RFC 3502)', async () => {
    const s = await RawSocket.connect(h.securePort, true);
    sockets.push(s);
    assert.match(await s.command('L1', `LOGIN alice@example.test "${PASSWORD}"`), /^L1 OK/);
    assert.match(await s.command('C', 'CREATE Atomic'), /^C OK/);
    const a = 'Subject: fine\r\n\r\nx\r\n';
    const b = 'Subject: fail-me\r\n\r\ny\r\n';
    assert.match(await s.command('A', `APPEND Atomic {${a.length}+}\r\n${a} {${b.length}+}\r\n${b}`), new RegExp(`^A NO \\[${ImapCodes.overQuota}\\]`));
    const mark = s.length;
    assert.match(await s.command('S', 'STATUS Atomic (MESSAGES)'), /^S OK/);
    assert.match(s.since(mark), /MESSAGES 0\)/);
  });

  test('a 20 MB message round-trips byte for byte through APPEND and FETCH BODY[]', async () => {
    const raw = await new MailComposer({
      from: 'big@example.test', to: 'alice@example.test', subject: 'big one', text: 'see attachment',
      attachments: [{ filename: 'big.bin', content: randomBytes(15 * 1024 * 1024) }],
    }).compile().build();
    assert.ok(raw.length > 19 * 1024 * 1024);
    const c = await h.client();
    try {
      await c.append('INBOX', raw);
      const lock = await c.getMailboxLock('INBOX');
      try {
        const dl = await c.download('*', undefined, { uid: false });
        const hash = createHash('sha256');
        let n = 0;
        assert.ok(dl.content);
        for await (const chunk of dl.content) {
          hash.update(chunk as Buffer);
          n += (chunk as Buffer).length;
        }
        assert.equal(n, raw.length);
        assert.equal(hash.digest('hex'), createHash('sha256').update(raw).digest('hex'));
      } finally {
        lock.release();
      }
    } finally {
      await c.logout();
    }
  });
});
