import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MimePart } from '../../../domain/index.js';
import { parseMessage } from '../../../mail/mime/index.js';
import { corpusMessage } from './fixtures/corpus.js';

const b = (s: string) => Buffer.from(s.replace(/\n/g, '\r\n'), 'latin1');
const bodyOf = (raw: Buffer, p: MimePart) => raw.subarray(p.bodyStart, p.bodyEnd).toString('latin1');
const headerOf = (raw: Buffer, p: MimePart) => raw.subarray(p.headerStart, p.bodyStart).toString('latin1');
const shape = (p: MimePart): unknown =>
  p.children ? [`${p.type}/${p.subtype}`.toLowerCase(), p.children.map(shape)] : p.message ? [`${p.type}/${p.subtype}`.toLowerCase(), shape(p.message.part)] : `${p.type}/${p.subtype}`.toLowerCase();

describe('structure: offsets, sizes and line counts (the BODYSTRUCTURE and BINARY.SIZE figures Dovecot gives)', () => {
  test('multipart with a folded boundary holding a message/rfc822 that holds a multipart/alternative', () => {
    const raw = corpusMessage('mixedNested', 1);
    const { structure: s, bytes } = parseMessage(raw);
    assert.equal(bytes, raw, 'clean CRLF input is not copied');
    assert.deepEqual(shape(s), ['multipart/mixed', ['text/x-heron-note', ['message/rfc822', ['multipart/alternative', ['text/html', 'text/plain']]]]]);
    assert.equal(s.bodyEnd, 791);
    const [one, two] = s.children!;
    assert.equal(bodyOf(raw, one!), 'sow after frost\r\n');
    assert.equal(one!.bodyLines, 1);
    assert.equal(two!.bodyEnd - two!.bodyStart, 381);
    assert.equal(two!.bodyLines, 18);
    assert.deepEqual(s.params, [['boundary', 'seam line']]);
    assert.equal(two!.message!.envelope.subject, 'germination table');
    assert.equal(two!.message!.part.headerStart, two!.bodyStart);
  });

  test('digest: parts without Content-Type are message/rfc822; white space after a delimiter is transport padding', () => {
    const raw = corpusMessage('digestInMessage', 1);
    const s = parseMessage(raw).structure;
    assert.deepEqual(shape(s), ['message/rfc822', ['multipart/digest', [['message/rfc822', 'text/plain'], ['message/rfc822', 'text/plain']]]]);
    const digest = s.message!.part;
    assert.equal(headerOf(raw, digest.children![0]!), '\r\n');
    assert.equal(headerOf(raw, digest.children![1]!), 'X-Digest-Note: second header line\r\n\r\n');
  });

  test('base64 parts: a body without a final line end has 0 lines, as Dovecot counts them', () => {
    const raw = corpusMessage('base64Parts', 1);
    const c = parseMessage(raw).structure.children!;
    assert.deepEqual(
      c.map((p) => [p.bodyEnd - p.bodyStart, p.bodyLines]),
      [
        [28, 4],
        [45, 5],
        [30, 3],
        [32, 0],
        [42, 1],
      ],
    );
  });
});

describe('broken MIME is read, never refused', () => {
  test('empty input', () => {
    const p = parseMessage(Buffer.alloc(0));
    assert.deepEqual([p.structure.headerStart, p.structure.bodyStart, p.structure.bodyEnd, p.structure.type], [0, 0, 0, 'text']);
    assert.equal(p.envelope.subject, null);
    assert.equal(p.snippet, '');
  });

  test('headers only, no empty line', () => {
    const raw = b('Subject: hi\nFrom: a@b');
    const p = parseMessage(raw);
    assert.equal(p.structure.bodyStart, p.bytes.length);
    assert.equal(p.envelope.subject, 'hi');
  });

  test('missing close delimiter: the last part runs to the end', () => {
    const raw = b('Content-Type: multipart/mixed; boundary=x\n\n--x\n\none\n--x\n\ntwo\n');
    const s = parseMessage(raw).structure;
    assert.equal(s.children!.length, 2);
    assert.equal(bodyOf(raw, s.children![1]!), 'two\r\n');
  });

  test('no boundary parameter, or a boundary that never comes: a multipart with no parts', () => {
    for (const ct of ['multipart/mixed', 'multipart/mixed; boundary=zz']) {
      const raw = b(`Content-Type: ${ct}\n\ntext\n`);
      const s = parseMessage(raw).structure;
      assert.deepEqual(s.children, []);
      assert.equal(bodyOf(raw, s), 'text\r\n');
    }
  });

  test('an inner multipart left open is closed by the outer boundary', () => {
    const raw = b('Content-Type: multipart/mixed; boundary=out\n\n--out\nContent-Type: multipart/alternative; boundary=in\n\n--in\n\na\n--out\n\nb\n--out--\n');
    const s = parseMessage(raw).structure;
    assert.deepEqual(shape(s), ['multipart/mixed', [['multipart/alternative', ['text/plain']], 'text/plain']]);
    assert.equal(bodyOf(raw, s.children![0]!.children![0]!), 'a');
    assert.equal(bodyOf(raw, s.children![1]!), 'b');
  });

  test('the same boundary nested: innermost first; a prefix boundary: the longest match', () => {
    const same = b('Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\na\n--x--\n--x\n\nb\n--x--\n');
    assert.deepEqual(shape(parseMessage(same).structure), ['multipart/mixed', [['multipart/mixed', ['text/plain']], 'text/plain']]);
    const prefix = b('Content-Type: multipart/mixed; boundary=foo\n\n--foo\nContent-Type: multipart/mixed; boundary=foobar\n\n--foobar\n\na\n--foobar--\n--foo\n\nb\n--foo--\n');
    const s = parseMessage(prefix).structure;
    assert.deepEqual(shape(s), ['multipart/mixed', [['multipart/mixed', ['text/plain']], 'text/plain']]);
    assert.equal(bodyOf(prefix, s.children![0]!.children![0]!), 'a');
  });

  test('a boundary inside a part header ends the header; its line end belongs to the boundary', () => {
    const raw = b('Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/html\n--x\n\nsecond\n--x--\n');
    const s = parseMessage(raw).structure;
    const first = s.children![0]!;
    assert.equal(headerOf(raw, first), 'Content-Type: text/html');
    assert.equal(first.bodyEnd - first.bodyStart, 0);
    assert.equal(first.subtype, 'html');
    assert.equal(bodyOf(raw, s.children![1]!), 'second');
  });

  test('epilogue lines that look like the closed boundary stay epilogue', () => {
    const raw = b('Content-Type: multipart/mixed; boundary=x\n\n--x\n\na\n--x--\n--x\n\nnot a part\n');
    const s = parseMessage(raw).structure;
    assert.equal(s.children!.length, 1);
    assert.equal(s.bodyEnd, raw.length);
  });

  test('Content-Type oddities: comments and case, missing subtype (default), first field wins', () => {
    const s1 = parseMessage(b('Content-Type: (c) TEXT/HTML (x); Charset="UTF-8" (y)\n\n<p>x</p>\n')).structure;
    assert.deepEqual([s1.type, s1.subtype, s1.params], ['TEXT', 'HTML', [['charset', 'UTF-8']]]);
    const s2 = parseMessage(b('Content-Type: text\n\nx\n')).structure;
    assert.deepEqual([s2.type, s2.subtype, s2.params], ['text', 'plain', [['charset', 'us-ascii']]]);
    const s3 = parseMessage(b('Content-Type: text/html\nContent-Type: image/png\n\nx\n')).structure;
    assert.equal(s3.subtype, 'html');
  });

  test('message/rfc822 with a transfer encoding is a leaf (its body is not a message)', () => {
    const raw = b('Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nU3ViamVjdDogeA0KDQp5\n');
    const s = parseMessage(raw).structure;
    assert.equal(s.message, undefined);
    assert.equal(parseMessage(raw).attachments[0]!.part, '1');
  });

  test('message/global is encapsulated like message/rfc822 (RFC 6532)', () => {
    const s = parseMessage(b('Content-Type: message/global\n\nSubject: inner\n\nbody\n')).structure;
    assert.equal(s.message?.envelope.subject, 'inner');
  });
});

describe('line ends', () => {
  test('bare LF is served as CRLF and offsets point into the CRLF bytes', () => {
    const raw = Buffer.from('Subject: a\nContent-Type: multipart/mixed; boundary=x\n\n--x\n\none\n--x--\n');
    const p = parseMessage(raw);
    assert.equal(p.bytes.toString(), raw.toString().replace(/\n/g, '\r\n'));
    assert.equal(bodyOf(p.bytes, p.structure.children![0]!), 'one');
  });

  test('issue 9: a bare CR splits header lines, so the From the parser, search and ENVELOPE see is the same one', () => {
    const raw = Buffer.from('X-A: a\rFrom: ann@example.test\n\r\nFrom: bob@example.test\r\n\r\nhi');
    const p = parseMessage(raw);
    assert.deepEqual(p.envelope.from, [{ name: null, adl: null, mailbox: 'ann', host: 'example.test' }]);
    assert.equal(p.header.from, 'ann@example.test');
    assert.equal(p.bytes.toString(), 'X-A: a\r\nFrom: ann@example.test\r\n\r\nFrom: bob@example.test\r\n\r\nhi');
  });
});

describe('limits: beyond them the rest is opaque, never an error', () => {
  test('maxParts', () => {
    const parts = Array.from({ length: 50 }, (_, i) => `--x\n\npart ${i}\n`).join('');
    const raw = b(`Content-Type: multipart/mixed; boundary=x\n\n${parts}--x--\n`);
    const s = parseMessage(raw, { limits: { maxParts: 10 } }).structure;
    assert.equal(s.children!.length, 10);
    const last = s.children!.at(-1)!;
    assert.equal(last.bodyEnd, raw.length, 'the last part holds the rest');
  });

  test('maxDepth: deeper multiparts have no parts but keep their extent', () => {
    let body = 'leaf\n';
    for (let i = 0; i < 10; i++) body = `Content-Type: multipart/mixed; boundary=b${i}\n\n--b${i}\n${body}--b${i}--\n`;
    const raw = b(body);
    let p: MimePart | undefined = parseMessage(raw, { limits: { maxDepth: 3 } }).structure;
    let depth = 0;
    while (p?.children?.length) {
      p = p.children[0];
      depth++;
    }
    assert.equal(depth, 3);
    assert.deepEqual(p!.children, []);
  });

  test('maxHeaderFields: fields past the limit are not listed, the header extent stays exact', () => {
    const raw = b('X: 1\n'.repeat(100) + 'Subject: late\n\nbody\n');
    const p = parseMessage(raw, { limits: { maxHeaderFields: 10 } });
    assert.equal(raw.subarray(p.structure.bodyStart).toString(), 'body\r\n');
    assert.equal(p.envelope.subject, null, 'the MIME parser stopped listing fields');
  });
});

describe('Dovecot-compatible readings (checked against Dovecot 2.3)', () => {
  test('a message without MIME-Version or Content-Type is not MIME: its Content-* fields are ignored', () => {
    const s = parseMessage(b('Content-Transfer-Encoding: base64\n\nbody\n')).structure;
    assert.deepEqual([s.type, s.subtype, s.encoding], ['text', 'plain', null]);
    const mime = parseMessage(b('MIME-Version: 1.0\nContent-Transfer-Encoding: base64\n\nbody\n')).structure;
    assert.equal(mime.encoding, 'base64');
  });

  test('a header directly followed by a boundary: the empty line belongs to the delimiter, the body is empty', () => {
    const raw = b('Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/html\n\n--x\n\nnext\n--x--\n');
    const first = parseMessage(raw).structure.children![0]!;
    assert.equal(headerOf(raw, first), 'Content-Type: text/html\r\n');
    assert.equal(first.bodyEnd - first.bodyStart, 0);
  });

  test('ENVELOPE: repeated address fields are joined, the last Subject/Date counts, subjects are for humans', () => {
    const e = parseMessage(b('Subject: first\nSubject: a\n  b\t c  \nFrom: a@x\nFrom: "Real  \t Name" <b@y>\nDate: d1\nDate: d2 \n\n')).envelope;
    assert.equal(e.subject, 'a b c');
    assert.equal(e.date, 'd2 ');
    assert.deepEqual(e.from, [
      { name: null, adl: null, mailbox: 'a', host: 'x' },
      { name: 'Real Name', adl: null, mailbox: 'b', host: 'y' },
    ]);
  });
});
