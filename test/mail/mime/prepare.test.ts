import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PreparedMessage } from '../../../domain/index.js';
import {
  createSearchTextExtractor,
  decodedPartSize,
  decodePart,
  extractBodies,
  parseMessage,
  prepareMessage,
  readContent,
  storeParsed,
  segmentsLength,
  UnknownEncodingError,
} from '../../../mail/mime/index.js';
import { createFsBlobStore } from '../../../store/blobs/fs-blob-store.js';
import { createMemoryBlobStore } from '../../helpers/memory-blobs.js';

const require = createRequire(import.meta.url);
const MailComposer = require('nodemailer/lib/mail-composer') as new (mail: object) => { compile(): { build(): Promise<Buffer> } };
const compose = (mail: object) => new MailComposer(mail).compile().build();

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function fsBlobs() {
  const dir = await mkdtemp(join(tmpdir(), 'heron-mime-'));
  dirs.push(dir);
  return createFsBlobStore(dir);
}

function pattern(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + seed * 17 + (i >> 8)) & 0xff;
  return b;
}

/** Printable bytes only: no CR or LF for line-end normalisation to touch. */
function printable(n: number, seed: number): Buffer {
  const b = pattern(n, seed);
  for (let i = 0; i < n; i++) b[i] = 0x20 + (b[i]! % 95);
  return b;
}

describe('prepareMessage', () => {
  test('nodemailer message: bytes served exactly, summary, search text, snippet, attachments with part numbers', async () => {
    const pdf = pattern(400 * 1024, 1);
    const raw = await compose({
      from: 'Ann Example <ann@example.com>',
      to: 'bob@example.com, "Carl C" <carl@example.com>',
      subject: 'Café plans',
      text: 'Hello Bob,\nsee you at the café.\n',
      html: '<p>Hello Bob,</p><p>see you at the <b>café</b>.</p>',
      attachments: [
        { filename: 'plan ü.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'notes.txt', content: 'tiny notes' },
      ],
      messageId: '<abc@example.com>',
      date: new Date('2026-03-03T10:00:00Z'),
    });
    const blobs = await fsBlobs();
    const p = await prepareMessage(raw, blobs);
    // nodemailer leaves bare LFs in its quoted-printable text; Heron serves them as CRLF.
    const served = Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
    assert.equal(p.size, served.length);
    assert.equal(p.size, segmentsLength(p.content));
    assert.deepEqual(await collect(readContent(p.content, blobs)), served);
    assert.equal(p.header.subject, 'Café plans');
    assert.equal(p.header.from, 'Ann Example <ann@example.com>');
    assert.equal(p.header.to, 'bob@example.com, Carl C <carl@example.com>');
    assert.equal(p.header.messageId, '<abc@example.com>');
    assert.equal(p.header.date?.toISOString(), '2026-03-03T10:00:00.000Z');
    assert.match(p.search.body, /see you at the café/);
    assert.match(p.search.headers, /^Subject: Café plans$/m);
    assert.match(p.search.filenames, /plan ü\.pdf/);
    assert.equal(p.snippet, 'Hello Bob, see you at the café.');
    assert.deepEqual(
      p.attachments.map((a) => [a.part, a.filename, a.contentType, a.size]),
      [
        ['2', 'plan ü.pdf', 'application/pdf', pdf.length],
        ['3', 'notes.txt', 'text/plain', 10],
      ],
    );
    assert.equal(p.blobIds.length, 1, 'the base64 PDF (over 128 KiB) is a blob');
    const pdfPart = p.structure.children![1]!;
    assert.deepEqual(await collect(decodePart(p.content, blobs, pdfPart)), pdf);
    assert.equal(await decodedPartSize(p.content, blobs, pdfPart), pdf.length);
  });

  test('identical attachments in two messages are one blob', async () => {
    const blobs = createMemoryBlobStore();
    const att = pattern(300 * 1024, 2);
    const a = await prepareMessage(await compose({ from: 'a@x.test', to: 'b@x.test', subject: '1', text: 'one', attachments: [{ filename: 'a.bin', content: att }] }), blobs);
    const b = await prepareMessage(await compose({ from: 'c@x.test', to: 'd@x.test', subject: '2', text: 'two', attachments: [{ filename: 'other.bin', content: att }] }), blobs);
    assert.deepEqual(a.blobIds, b.blobIds);
    assert.equal(blobs.blobs.size, 1);
  });

  test('blob threshold is configurable; small messages are one inline segment', async () => {
    const blobs = createMemoryBlobStore();
    const small = await prepareMessage(Buffer.from('Subject: s\r\n\r\nhi\r\n'), blobs);
    assert.equal(small.content.length, 1);
    assert.deepEqual(small.blobIds, []);
    const raw = Buffer.from('Content-Type: text/plain\r\n\r\n' + 'x'.repeat(5000) + '\r\n');
    const p = await prepareMessage(raw, blobs, { blobThreshold: 1000 });
    assert.equal(p.content.length, 2);
    assert.deepEqual(await collect(readContent(p.content, blobs)), raw);
  });

  test('the store search extractor re-derives exactly the prepared search text', async () => {
    const blobs = createMemoryBlobStore();
    const raw = await compose({
      from: 'a@x.test',
      to: 'b@x.test',
      subject: '=?utf-8?q?x?= subject',
      html: '<p>' + 'words '.repeat(40000) + '</p>',
      attachments: [{ filename: 'inner.eml', content: 'Subject: inner\r\nX-Custom: findme\r\n\r\ninner body\r\n', contentType: 'message/rfc822' }],
    });
    const p: PreparedMessage = await prepareMessage(raw, blobs, { blobThreshold: 1024 });
    assert.ok(p.blobIds.length > 0);
    const extract = createSearchTextExtractor();
    const view = {
      size: p.size,
      structure: p.structure,
      read: async (s: number, e: number) => collect(readContent(p.content, blobs, { start: s, end: e })),
    };
    const got = await extract(view, { body: true });
    assert.equal(got.headers, p.search.headers);
    assert.equal(got.body, p.search.body);
    assert.match(got.body, /X-Custom: findme/);
    assert.equal((await extract(view, { body: false })).body, '');
  });
});

describe('readContent', () => {
  test('every range of a message with inline and blob segments', async () => {
    const blobs = createMemoryBlobStore();
    const raw = Buffer.concat([Buffer.from('Content-Type: application/octet-stream\r\n\r\n'), printable(70_000, 3), Buffer.from('\r\n')]);
    const p = await prepareMessage(raw, blobs, { blobThreshold: 1000 });
    assert.equal(p.content.length, 2);
    for (const [s, e] of [
      [0, raw.length],
      [0, 10],
      [30, 50],
      [40, 41],
      [45, 70_000],
      [69_000, raw.length],
      [raw.length - 1, raw.length],
      [raw.length, raw.length],
      [5, 3],
    ]) {
      assert.deepEqual(await collect(readContent(p.content, blobs, { start: s, end: e })), raw.subarray(s, Math.max(s, e)), `${s}-${e}`);
    }
  });

  test('pull-based: a slow consumer bounds what is read ahead', async () => {
    const blobs = createMemoryBlobStore();
    const raw = Buffer.concat([Buffer.from('\r\n'), pattern(8 * 1024 * 1024, 4)]);
    const p = await prepareMessage(raw, blobs, { blobThreshold: 1000 });
    let reads = 0;
    const counting = { ...blobs, createReadStream: (id: string, r?: { start?: number; end?: number }) => {
      const s = blobs.createReadStream(id, r);
      s.on('data', () => reads++);
      return s;
    } };
    const stream = readContent(p.content, counting);
    // Read one chunk, then stop reading for a while: the blob must not be drained behind our back.
    await new Promise<void>((resolve) => stream.once('readable', () => resolve()));
    stream.read(1);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(reads < 16, `read ahead ${reads} chunks of 16 KiB out of 512`);
    stream.destroy();
  });

  test('a missing blob errors the stream instead of giving short bytes', async () => {
    const blobs = createMemoryBlobStore();
    const p = await prepareMessage(Buffer.concat([Buffer.from('\r\n'), pattern(5000, 5)]), blobs, { blobThreshold: 1000 });
    blobs.blobs.clear();
    await assert.rejects(pipeline(readContent(p.content, blobs), new Writable({ write: (_c, _e, cb) => cb() })), { code: 'ENOENT' });
  });
});

describe('decodePart and extractBodies', () => {
  test('unknown transfer encoding is refused before any read', async () => {
    const blobs = createMemoryBlobStore();
    const p = await prepareMessage(Buffer.from('MIME-Version: 1.0\r\nContent-Transfer-Encoding: x-uue\r\n\r\nbegin\r\n'), blobs);
    assert.throws(() => decodePart(p.content, blobs, p.structure), UnknownEncodingError);
  });

  test('alternative: text from text/plain, HTML from text/html; charsets; attached messages left out', async () => {
    const blobs = createMemoryBlobStore();
    const raw = Buffer.from(
      [
        'Content-Type: multipart/mixed; boundary=m',
        '',
        '--m',
        'Content-Type: multipart/alternative; boundary=a',
        '',
        '--a',
        'Content-Type: text/plain; charset=iso-8859-1',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Gr=FC=DFe',
        '--a',
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('<p>Grüße</p>').toString('base64'),
        '--a--',
        '--m',
        'Content-Type: message/rfc822',
        '',
        'Subject: fwd',
        '',
        'forwarded text',
        '--m--',
        '',
      ].join('\r\n'),
      'latin1',
    );
    const p = await prepareMessage(raw, blobs);
    const bodies = await extractBodies({ content: p.content, structure: p.structure }, blobs);
    assert.equal(bodies.text, 'Grüße');
    assert.deepEqual(bodies.html, ['<p>Grüße</p>']);
    assert.deepEqual(bodies.attachments.map((a) => [a.part, a.filename]), [['2', 'fwd.eml']]);
    assert.match(p.search.body, /forwarded text/);
    assert.equal(p.snippet, 'Grüße');
  });

  test('HTML-only: text is the HTML as text; file names in RFC 2231 and RFC 2047 are decoded', async () => {
    const blobs = createMemoryBlobStore();
    const raw = Buffer.from(
      'Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/html\r\n\r\n<h1>Title</h1><script>x()</script><p>para</p>\r\n' +
        "--m\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment;\r\n filename*0*=utf-8''r%C3%A9sum;\r\n filename*1*=%C3%A9.pdf\r\n\r\nAAA\r\n" +
        '--m\r\nContent-Type: image/png; name="=?utf-8?B?w7xiZXIucG5n?="\r\nContent-ID: <img1@x>\r\nContent-Disposition: inline\r\n\r\nPNG\r\n--m--\r\n',
    );
    const p = await prepareMessage(raw, blobs);
    const bodies = await extractBodies({ content: p.content, structure: p.structure, attachments: p.attachments }, blobs);
    assert.match(bodies.text, /TITLE\s+para/);
    assert.doesNotMatch(bodies.text, /x\(\)/);
    assert.deepEqual(
      p.attachments.map((a) => [a.part, a.filename, a.contentId, a.disposition]),
      [
        ['2', 'résumé.pdf', undefined, 'attachment'],
        ['3', 'über.png', 'img1@x', 'inline'],
      ],
    );
  });
});

describe('attachment sizes', () => {
  test('base64 sizes are exact for CRLF-wrapped encodings of every length', async () => {
    for (const n of [0, 1, 2, 3, 4, 56, 57, 58, 1000, 4096]) {
      const data = pattern(n, n);
      const b64 = data.toString('base64').replace(/.{76}/g, '$&\r\n');
      for (const tail of ['', '\r\n']) {
        const raw = Buffer.from(`Content-Type: application/x-a\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}${tail}`);
        const p = await prepareMessage(raw, createMemoryBlobStore());
        assert.equal(p.attachments[0]!.size, n, `${n} ${JSON.stringify(tail)}`);
      }
    }
  });
});

describe('across a worker boundary', () => {
  test('bytes that went through a structured clone (Uint8Array) parse and store the same', async () => {
    const raw = Buffer.from('Subject: s\nContent-Type: text/plain\n\nline one\nline two\n');
    const direct = await prepareMessage(raw, createMemoryBlobStore(), { blobThreshold: 4 });
    const cloned = parseMessage(structuredClone(new Uint8Array(raw)) as Buffer);
    const viaClone = await storeParsed(structuredClone(cloned), createMemoryBlobStore(), { blobThreshold: 4 });
    assert.equal(viaClone.size, direct.size);
    assert.deepEqual(viaClone.structure, direct.structure);
    assert.deepEqual(viaClone.search, direct.search);
    assert.deepEqual(viaClone.blobIds, direct.blobIds);
  });
});
