import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { prepareMessage, createMessageReader } from '../../mail/message-codec/index.js';
import { createMemoryBlobStore } from '../helpers/memory-blobs.js';

const require = createRequire(import.meta.url);
const MailComposer = require('nodemailer/lib/mail-composer') as new (mail: object) => { compile(): { build(): Promise<Buffer> } };

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function roundTrip(raw: Buffer, expected: Buffer = raw) {
  const blobs = createMemoryBlobStore();
  const prepared = await prepareMessage(raw, blobs);
  // What the store would do: a structured clone keeps Buffers.
  const tree = structuredClone(prepared.mimeTree);
  const reader = createMessageReader(blobs);
  const content = reader.message(tree);
  const out = await collect(content.open());
  assert.equal(out.toString('binary'), expected.toString('binary'));
  assert.equal(prepared.size, out.length);
  assert.equal(content.length, out.length);
  return { prepared, blobs, reader, tree };
}

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'), 'binary');

const simple = crlf(`From: Ann <ann@example.com>
To: bob@example.com, "Carl C" <carl@example.com>
Subject: =?UTF-8?Q?Caf=C3=A9?= plans
Message-ID: <abc@example.com>
Date: Tue, 3 Mar 2026 10:00:00 +0000

Hello Bob,
see you at the café.
`);

async function compose(mail: object): Promise<Buffer> {
  return new MailComposer(mail).compile().build();
}

describe('message-codec round trip', () => {
  test('simple text message is byte-identical, header summary extracted', async () => {
    const { prepared } = await roundTrip(simple);
    assert.equal(prepared.header.subject, 'Café plans');
    assert.equal(prepared.header.from, 'Ann <ann@example.com>');
    assert.equal(prepared.header.to, 'bob@example.com, Carl C <carl@example.com>');
    assert.equal(prepared.header.messageId, '<abc@example.com>');
    assert.equal(prepared.header.date?.toISOString(), '2026-03-03T10:00:00.000Z');
    assert.match(prepared.text, /see you at the/);
    assert.match(prepared.headerText, /^From: Ann/);
    assert.deepEqual(prepared.blobIds, []);
    assert.ok(Array.isArray(prepared.envelope));
    assert.ok(Array.isArray(prepared.bodystructure));
  });

  test('multipart with base64 attachments, attachment bodies go to blobs', async () => {
    const att = randomBytes(100_000);
    const raw = await compose({
      from: 'a@example.com', to: 'b@example.com', subject: 'files', text: 'plain body', html: '<p>html body</p>',
      attachments: [{ filename: 'r.bin', content: att }, { filename: 'note.txt', content: 'hello file' }],
    });
    const { prepared, blobs, reader, tree } = await roundTrip(raw);
    assert.equal(prepared.attachments.length, 2);
    assert.deepEqual(prepared.attachments.map((a) => a.filename).sort(), ['note.txt', 'r.bin']);
    assert.ok(prepared.blobIds.length >= 2);
    for (const id of prepared.blobIds) assert.ok(blobs.blobs.has(id));
    assert.match(prepared.text, /plain body/);
    // BODY[2] of the attachment part is its encoded body; decoding gives the original bytes.
    const partPath = '2';
    const sec = reader.section(tree, { path: partPath, type: 'content' });
    assert.ok(sec);
    const body = await collect(sec.open());
    assert.equal(sec.length, body.length);
    assert.deepEqual(Buffer.from(body.toString('ascii'), 'base64'), att);
    // HEADER comes from the tree.
    const header = reader.section(tree, { type: 'header' });
    assert.match((await collect(header!.open())).toString(), /^Content-Type: multipart\/mixed/m);
  });

  test('partial ranges give exactly the asked bytes', async () => {
    const raw = await compose({ from: 'a@example.com', to: 'b@example.com', subject: 'p', text: 'x'.repeat(5000), attachments: [{ filename: 'a.bin', content: randomBytes(70_000) }] });
    const { reader, tree } = await roundTrip(raw);
    const whole = reader.message(tree);
    for (const [start, len] of [[0, 10], [100, 50_000], [raw.length - 5, 100], [12_345, 1]]) {
      const got = await collect(whole.open({ start, maxLength: len }));
      assert.deepEqual(got, raw.subarray(start, start + len));
    }
    assert.equal((await collect(whole.open({ start: raw.length + 10 }))).length, 0);
  });

  test('nested message/rfc822 and 8bit bodies', async () => {
    const inner = await compose({ from: 'x@example.com', to: 'y@example.com', subject: 'inner', text: 'inner text', attachments: [{ filename: 'i.bin', content: randomBytes(2000) }] });
    const raw = await compose({
      from: 'a@example.com', to: 'b@example.com', subject: 'fwd', text: 'see attached',
      attachments: [{ filename: 'fwd.eml', content: inner, contentType: 'message/rfc822' }],
    });
    await roundTrip(raw);
    const eightBit = crlf('From: a@example.com\nTo: b@example.com\nSubject: 8bit\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nÄäÖö ✓ \x00 binary-ish\n\n');
    await roundTrip(eightBit);
    const innerMsg = crlf('From: a@example.com\nTo: b@example.com\nSubject: outer\nContent-Type: multipart/mixed; boundary="XX"\n\n--XX\nContent-Type: text/plain\n\nouter text\n--XX\nContent-Type: message/rfc822\n\nFrom: c@example.com\nSubject: inner\n\ninner body\n--XX--\n');
    const { reader, tree } = await roundTrip(innerMsg);
    const innerHeader = reader.section(tree, { path: '2', type: 'header' });
    assert.match((await collect(innerHeader!.open())).toString(), /Subject: inner/);
    const innerText = reader.section(tree, { path: '2', type: 'text' });
    assert.match((await collect(innerText!.open())).toString(), /inner body/);
  });

  test('broken MIME, no body, LF input', async () => {
    await roundTrip(crlf('From: a@example.com\nContent-Type: multipart/mixed; boundary="never"\n\npreamble only\nno boundary ever\n'));
    await roundTrip(crlf('Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nunterminated\n'));
    await roundTrip(crlf('Subject: headers only\n'));
    await roundTrip(crlf('Subject: empty body\n\n'));
    await roundTrip(Buffer.from('no header colon line\r\n\r\nbody'));
    await roundTrip(Buffer.alloc(0));
    await roundTrip(Buffer.from('Content-Type: text/plain; charset=x-unknown-charset\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!notbase64@@@\r\n'));
    const lf = Buffer.from('From: a@example.com\nSubject: lf\n\nline1\nline2\n');
    await roundTrip(lf, crlf(lf.toString()));
    const garbage = randomBytes(20_000);
    const blobs = createMemoryBlobStore();
    const p = await prepareMessage(garbage, blobs);
    const out = await collect(createMessageReader(blobs).message(p.mimeTree).open());
    assert.equal(out.length, p.size);
  });

  test('identical attachments are stored once', async () => {
    const att = randomBytes(50_000);
    const blobs = createMemoryBlobStore();
    const a = await prepareMessage(await compose({ from: 'a@x.test', to: 'b@x.test', subject: '1', text: 'one', attachments: [{ filename: 'a.bin', content: att }] }), blobs);
    const b = await prepareMessage(await compose({ from: 'c@x.test', to: 'd@x.test', subject: '2', text: 'two', attachments: [{ filename: 'other-name.bin', content: att }] }), blobs);
    assert.equal(a.attachments[0]!.blobId, b.attachments[0]!.blobId);
    assert.equal(blobs.blobs.size, 1);
  });

  test('large text parts move to blobs and stream back', async () => {
    const big = 'lorem ipsum dolor sit amet '.repeat(40_000); // ~1 MB inline text
    const raw = await compose({ from: 'a@x.test', to: 'b@x.test', subject: 'big', text: big });
    const { prepared } = await roundTrip(raw);
    assert.equal(prepared.blobIds.length, 1);
    assert.ok(prepared.text.length <= 256 * 1024);
  });

  test('missing blob does not crash the reader', async () => {
    const blobs = createMemoryBlobStore();
    const p = await prepareMessage(await compose({ from: 'a@x.test', to: 'b@x.test', subject: 'm', text: 't', attachments: [{ filename: 'a.bin', content: randomBytes(1000) }] }), blobs);
    for (const id of p.blobIds) await blobs.delete(id);
    const missing: string[] = [];
    const out = await collect(createMessageReader(blobs, { onMissingBlob: (id) => missing.push(id) }).message(p.mimeTree).open());
    assert.ok(out.length < p.size);
    assert.deepEqual(missing, p.blobIds);
  });
});
