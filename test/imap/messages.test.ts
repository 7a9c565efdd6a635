import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import { startHarness, type Harness } from './harness.js';

const require = createRequire(import.meta.url);
const MailComposer = require('nodemailer/lib/mail-composer') as new (mail: object) => { compile(): { build(): Promise<Buffer> } };
const compose = (mail: object): Promise<Buffer> => new MailComposer(mail).compile().build();

type Exec = (cmd: string, attrs: unknown[], opts?: { untagged?: Record<string, (u: { attributes: unknown[]; command: string }) => Promise<void>> }) => Promise<{ response: { command: string; attributes: Array<{ section?: Array<{ value: string }>; value?: string }> }; next(): void }>;

/** A command through imapflow's own parser; returns the tagged status and response code. */
async function raw(c: ImapFlow, command: string, attributes: unknown[], untagged?: Record<string, (u: { attributes: unknown[]; command: string }) => Promise<void>>) {
  const exec = (c as unknown as { exec: Exec }).exec.bind(c);
  try {
    const r = await exec(command, attributes, untagged ? { untagged } : undefined);
    r.next();
    const section = r.response.attributes?.[0]?.section;
    return { status: r.response.command, code: section?.map((s) => s.value).join(' '), text: r.response.attributes?.map((a) => a.value).join(' ') };
  } catch (err) {
    const e = err as { response?: { command: string; attributes?: Array<{ section?: Array<{ value: string }> }> }; serverResponseCode?: string };
    return { status: e.response?.command ?? 'ERR', code: e.serverResponseCode ?? e.response?.attributes?.[0]?.section?.[0]?.value, text: '' };
  }
}

/** fetchOne answers `false` when nothing matched; these tests always expect a message. */
function must<T>(v: T | false | undefined): T {
  assert.ok(v, 'expected a message');
  return v as T;
}

describe('IMAP messages (imapflow)', () => {
  let h: Harness;
  let c: ImapFlow;
  let multipart: Buffer;
  let attachment: Buffer;
  before(async () => {
    h = await startHarness();
    c = await h.client();
    attachment = randomBytes(200_000);
    multipart = await compose({
      from: 'Ann <ann@example.test>', to: 'alice@example.test', subject: 'Quarterly report', messageId: '<q1@example.test>',
      text: 'Numbers are up this quarter. Zebrafish appear.', html: '<p>Numbers are up</p>',
      attachments: [{ filename: 'report.bin', content: attachment }],
    });
  });
  after(async () => {
    await c.logout().catch(() => undefined);
    await h.close();
  });

  test('APPEND returns APPENDUID; FETCH gives the exact bytes, size, envelope, bodystructure', async () => {
    await c.mailboxCreate('Reports');
    const res = await c.append('Reports', multipart, ['\\Flagged', 'custom1'], new Date('2024-05-06T07:08:09Z'));
    assert.ok(res);
    assert.equal(res.uid, 1);
    assert.ok(Number(res.uidValidity) > 0);
    const lock = await c.getMailboxLock('Reports');
    try {
      const m = await c.fetchOne('1', { uid: true, source: true, flags: true, size: true, envelope: true, bodyStructure: true, internalDate: true }, { uid: true });
      assert.ok(m);
      assert.ok(m.source?.equals(multipart));
      assert.equal(m.size, multipart.length);
      assert.equal(m.envelope?.subject, 'Quarterly report');
      assert.equal(m.envelope?.from?.[0]?.address, 'ann@example.test');
      assert.equal(m.envelope?.messageId, '<q1@example.test>');
      assert.ok(m.flags?.has('\\Flagged'));
      assert.ok(m.flags?.has('custom1'));
      assert.equal(new Date(m.internalDate!).toISOString(), '2024-05-06T07:08:09.000Z');
      assert.equal(m.bodyStructure?.type, 'multipart/mixed');
      const att = m.bodyStructure?.childNodes?.find((n) => n.disposition === 'attachment');
      assert.ok(att);
      // The attachment part, downloaded and decoded by imapflow, is the original bytes.
      const dl = await c.download('1', att.part, { uid: true });
      const chunks: Buffer[] = [];
      assert.ok(dl.content);
      for await (const ch of dl.content) chunks.push(ch as Buffer);
      assert.ok(Buffer.concat(chunks).equals(attachment));
    } finally {
      lock.release();
    }
  });

  test('BODY sections: partial ranges, HEADER.FIELDS, TEXT, MIME; BODY.PEEK does not set \\Seen, BODY[] does', async () => {
    const lock = await c.getMailboxLock('Reports');
    try {
      let m = await c.fetchOne('1', { headers: ['subject', 'from'], bodyParts: ['1.MIME', 'TEXT'], flags: true }, { uid: true });
      assert.ok(m);
      const hdr = m.headers?.toString() ?? '';
      assert.match(hdr, /^Subject: Quarterly report/im);
      assert.doesNotMatch(hdr, /^To:/im);
      assert.match(m.bodyParts?.get('1.mime')?.toString() ?? '', /Content-Type: multipart\/alternative/i);
      const text = m.bodyParts?.get('text');
      assert.ok(text);
      const headerEnd = multipart.indexOf('\r\n\r\n') + 4;
      assert.ok(text.equals(multipart.subarray(headerEnd)));
      assert.ok(!m.flags?.has('\\Seen'), 'PEEK keeps unseen');

      // Partial fetch through a raw command: BODY.PEEK[]<10.100>
      const pieces: Buffer[] = [];
      const r = await raw(c, 'UID FETCH', [{ type: 'SEQUENCE', value: '1' }, [{ type: 'ATOM', value: 'BODY.PEEK', section: [], partial: [10, 100] }]], {
        FETCH: async (u) => {
          const attrs = u.attributes[1] as Array<{ value?: unknown }>;
          for (const a of attrs) if (Buffer.isBuffer(a.value)) pieces.push(a.value);
        },
      });
      assert.equal(r.status, 'OK');
      assert.ok(pieces[0]?.equals(multipart.subarray(10, 110)));

      m = must(await c.fetchOne('1', { source: { start: 5, maxLength: 20 } } as never, { uid: true }));
      assert.ok(m.source?.equals(multipart.subarray(5, 25)));

      // Non-peek BODY[] sets \Seen (RFC 3501 6.4.5).
      await raw(c, 'UID FETCH', [{ type: 'SEQUENCE', value: '1' }, [{ type: 'ATOM', value: 'BODY', section: [] }]]);
      m = must(await c.fetchOne('1', { flags: true }, { uid: true }));
      assert.ok(m?.flags?.has('\\Seen'));
    } finally {
      lock.release();
    }
  });

  test('STORE set/add/remove, CONDSTORE MODSEQ and UNCHANGEDSINCE -> [MODIFIED]', async () => {
    const lock = await c.getMailboxLock('Reports');
    try {
      await c.messageFlagsAdd('1', ['\\Answered', 'kw2'], { uid: true });
      let m = must(await c.fetchOne('1', { flags: true, modseq: true } as never, { uid: true }));
      assert.ok(m?.flags?.has('\\Answered'));
      assert.ok(m?.flags?.has('kw2'));
      const modseq = BigInt(m!.modseq!);
      await c.messageFlagsRemove('1', ['kw2'], { uid: true });
      m = must(await c.fetchOne('1', { flags: true, modseq: true } as never, { uid: true }));
      assert.ok(!m?.flags?.has('kw2'));
      assert.ok(BigInt(m!.modseq!) > modseq);
      // UNCHANGEDSINCE older than the message's modseq: refused, reported as MODIFIED.
      const r = await raw(c, 'UID STORE', [{ type: 'SEQUENCE', value: '1' }, [{ type: 'ATOM', value: 'UNCHANGEDSINCE' }, { type: 'ATOM', value: String(modseq) }], { type: 'ATOM', value: '+FLAGS' }, [{ type: 'ATOM', value: '\\Draft' }]]);
      assert.equal(r.status, 'OK');
      assert.match(r.code ?? '', /^MODIFIED/);
      m = must(await c.fetchOne('1', { flags: true }, { uid: true }));
      assert.ok(!m?.flags?.has('\\Draft'));
      await c.messageFlagsSet('1', ['\\Seen'], { uid: true });
      m = must(await c.fetchOne('1', { flags: true }, { uid: true }));
      assert.deepEqual([...(m?.flags ?? [])], ['\\Seen']);
    } finally {
      lock.release();
    }
  });

  test('COPY and MOVE answer COPYUID; MOVE expunges the source and tells the move observer', async () => {
    await c.mailboxCreate('CopyDest');
    const lock = await c.getMailboxLock('Reports');
    try {
      const copied = await c.messageCopy('1', 'CopyDest', { uid: true });
      assert.ok(copied);
      assert.deepEqual([...(copied.uidMap?.entries() ?? [])], [[1, 1]]);
      await c.append('Reports', 'Subject: to move\r\n\r\nmove me\r\n');
      await c.noop();
      const moved = await c.messageMove('2', 'Junk', { uid: true });
      assert.ok(moved);
      assert.equal(moved.uidMap?.get(2), 1);
      const left = await c.search({ all: true }, { uid: true });
      assert.deepEqual(left, [1]);
      const ev = h.moves.find((e) => e.to.path === 'Junk');
      assert.ok(ev);
      assert.equal(ev.from.path, 'Reports');
      assert.equal(ev.messageIds.length, 1);
      const r = await raw(c, 'UID COPY', [{ type: 'SEQUENCE', value: '1' }, { type: 'ATOM', value: 'NoSuchBox' }]);
      assert.deepEqual([r.status, r.code], ['NO', 'TRYCREATE']);
    } finally {
      lock.release();
    }
  });

  test('EXPUNGE and UID EXPUNGE remove only \\Deleted messages (RFC 4315)', async () => {
    await c.mailboxCreate('Exp');
    for (let i = 1; i <= 4; i++) await c.append('Exp', `Subject: e${i}\r\n\r\nbody ${i}\r\n`);
    const lock = await c.getMailboxLock('Exp');
    try {
      await c.messageFlagsAdd('1:3', ['\\Deleted'], { uid: true });
      // UID EXPUNGE 2 leaves 1 and 3 although they are \Deleted.
      await c.messageDelete('2', { uid: true });
      assert.deepEqual(await c.search({ all: true }, { uid: true }), [1, 3, 4]);
      const r = await raw(c, 'EXPUNGE', []);
      assert.equal(r.status, 'OK');
      assert.deepEqual(await c.search({ all: true }, { uid: true }), [4]);
    } finally {
      lock.release();
    }
  });

  test('SEARCH maps to the store index: text, header fields, flags, size, dates, uid, OR/NOT', async () => {
    await c.mailboxCreate('Find');
    await c.append('Find', multipart, [], new Date('2024-01-10T12:00:00Z'));
    await c.append('Find', 'From: bob@example.test\r\nSubject: lunch plans\r\nX-Tag: blue\r\nDate: Mon, 5 Feb 2024 10:00:00 +0000\r\n\r\nsushi at noon\r\n', ['\\Seen'], new Date('2024-02-05T12:00:00Z'));
    await c.append('Find', 'From: carol@example.test\r\nSubject: other\r\n\r\nnothing\r\n', ['\\Flagged'], new Date('2024-03-01T12:00:00Z'));
    const lock = await c.getMailboxLock('Find');
    try {
      assert.deepEqual(await c.search({ body: 'sushi' }, { uid: true }), [2]);
      assert.deepEqual(await c.search({ text: 'zebrafish' }, { uid: true }), [1]);
      assert.deepEqual(await c.search({ subject: 'lunch' }, { uid: true }), [2]);
      assert.deepEqual(await c.search({ from: 'carol' }, { uid: true }), [3]);
      assert.deepEqual(await c.search({ header: { 'x-tag': 'blue' } }, { uid: true }), [2]);
      assert.deepEqual(await c.search({ seen: true }, { uid: true }), [2]);
      assert.deepEqual(await c.search({ seen: false }, { uid: true }), [1, 3]);
      assert.deepEqual(await c.search({ flagged: true }, { uid: true }), [3]);
      assert.deepEqual(await c.search({ larger: 100_000 }, { uid: true }), [1]);
      assert.deepEqual(await c.search({ before: new Date('2024-02-01T00:00:00Z') }, { uid: true }), [1]);
      assert.deepEqual(await c.search({ since: new Date('2024-02-05T00:00:00Z') }, { uid: true }), [2, 3]);
      assert.deepEqual(await c.search({ uid: '2:3' }, { uid: true }), [2, 3]);
      assert.deepEqual(await c.search({ or: [{ from: 'carol' }, { subject: 'lunch' }] }, { uid: true }), [2, 3]);
      assert.deepEqual(await c.search({ not: { seen: true } } as never, { uid: true }), [1, 3]);
      // Sequence-number SEARCH answers sequence numbers.
      assert.deepEqual(await c.search({ flagged: true }), [3]);
    } finally {
      lock.release();
    }
  });

  test('a user never sees another user\'s mailboxes or messages', async () => {
    const b = await h.client('bob');
    try {
      const paths = (await b.list()).map((m) => m.path);
      assert.ok(!paths.includes('Reports'));
      const r = await raw(b, 'SELECT', [{ type: 'ATOM', value: 'Reports' }]);
      assert.deepEqual([r.status, r.code], ['NO', 'NONEXISTENT']);
      const st = await b.status('INBOX', { messages: true });
      assert.ok(st);
      assert.equal(st.messages, 0);
    } finally {
      await b.logout();
    }
  });

  test('APPEND to a missing mailbox is NO [TRYCREATE]; bad login is NO [AUTHENTICATIONFAILED]', async () => {
    const r = await raw(c, 'APPEND', [{ type: 'ATOM', value: 'Missing' }, { type: 'LITERAL', value: Buffer.from('Subject: x\r\n\r\ny\r\n') }]);
    assert.deepEqual([r.status, r.code], ['NO', 'TRYCREATE']);
    const { ImapFlow } = await import('imapflow');
    const bad = new ImapFlow({ host: '127.0.0.1', port: h.securePort, secure: true, auth: { user: 'alice@example.test', pass: 'wrong' }, tls: { rejectUnauthorized: false }, logger: false });
    await assert.rejects(bad.connect(), (err: { serverResponseCode?: string; authenticationFailed?: boolean }) => err.authenticationFailed === true || err.serverResponseCode === 'AUTHENTICATIONFAILED');
  });
});
