import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusMessage } from '../../mail/mime/fixtures/corpus.js';
import { encodeBinaryParts } from '../../../mail/mime/index.js';
import { binary, binarySizeOf, body, crlf, stored } from './helpers.js';

// BINARY[section] and BINARY.SIZE (RFC 3516) on the messages of test/mail/mime/fixtures/corpus.ts.
// Decoded bytes and sizes are what a local Dovecot 2.3.19 answers for them; Dovecot sends every
// converted part as literal8, Heron only when the bytes hold NUL (RFC 3516 4.3 allows both).

const text = (r: { text: string } | { error: string }) => {
  if ('error' in r) throw new Error(r.error);
  return r.text;
};

describe('BINARY when nothing is encoded', () => {
  test('BINARY[] and parts equal BODY[], BINARY.SIZE equals their sizes', async () => {
    const m = await stored(corpusMessage('mixedNested', 1));
    assert.equal(text(await binary(m, '')), await body(m, ''));
    assert.equal(await binarySizeOf(m, ''), 791);
    assert.equal(await binarySizeOf(m, '1'), 17);
    assert.equal(text(await binary(m, '1')), 'sow after frost\r\n');
    assert.equal(text(await binary(m, '2')), await body(m, '2'));
    assert.equal(await binarySizeOf(m, '2'), 381);
    assert.equal(await binarySizeOf(m, '2.1'), 33);
    assert.equal(text(await binary(m, '2.1')), '<ul><li>beans: 8 days</li></ul>\r\n');
    assert.equal(text(await binary(m, '2.2')), 'beans: 8 days\r\n');
    assert.equal(await binarySizeOf(m, '2.2'), 15);
  });
});

describe('BINARY of base64 parts (RFC 2045 6.8)', () => {
  test('white space and odd line lengths skipped, "==" padding, no final line end, CR and LF inside the data', async () => {
    const m = await stored(corpusMessage('base64Parts', 1));
    assert.equal(text(await binary(m, '1')), 'bright morning');
    assert.equal(text(await binary(m, '2')), 'bright morning');
    assert.equal(text(await binary(m, '3')), 'calm seas ahead!');
    assert.equal(text(await binary(m, '4')), 'fair winds to all hands');
    const five = 'one\rtwo\r\nthree\nfour and more';
    assert.equal(text(await binary(m, '5')), five);
    assert.deepEqual(
      await Promise.all(['1', '2', '3', '4', '5'].map((n) => binarySizeOf(m, n))),
      [14, 14, 16, 23, 28],
    );
  });

  test('partial ranges count decoded bytes, a CR of a CRLF included', async () => {
    const m = await stored(corpusMessage('base64Parts', 1));
    const five = 'one\rtwo\r\nthree\nfour and more';
    for (const [o, c] of [[0, 3], [0, 4], [3, 5], [8, 10], [20, 100], [28, 5]] as const) {
      assert.equal(text(await binary(m, '5', { origin: o, count: c })), five.slice(o, o + c), `<${o}.${c}>`);
    }
    assert.equal(text(await binary(m, '3', { origin: 0, count: 4 })), 'calm');
  });
});

describe('BINARY of a quoted-printable part (RFC 2045 6.7)', () => {
  test('soft breaks (also with white space after "="), trailing white space, =XX on the next line, "_" kept', async () => {
    const m = await stored(corpusMessage('qpPart', 1));
    const decoded = crlf('tally\nnorth\nrope\tline\nkeel\t \tK\ndeck hand\nmast M\nsail\noar\nport_side=left\n');
    assert.equal(await binarySizeOf(m, '1'), 81);
    assert.equal(text(await binary(m, '1')), decoded);
    for (const [o, c] of [[0, 12], [12, 12], [24, 12], [30, 9], [60, 100]] as const) {
      assert.equal(text(await binary(m, '1', { origin: o, count: c })), decoded.slice(o, o + c), `<${o}.${c}>`);
    }
  });
});

describe('BINARY of message/rfc822 and multipart parts converts encoded leaves (as Dovecot)', () => {
  test('the encapsulated message with its base64 parts decoded and marked binary', async () => {
    const m = await stored(corpusMessage('encodedInMessage', 1));
    const want = crlf(
      'From: Joss Ferreira <joss@ferreira.example.com>\nDate: Tue, 28 Jan 2020 19:02:44 -0500\nSubject: encoded pair\nContent-Type: multipart/alternative; boundary="pair"\n\n' +
        'pair preamble\n--pair\nContent-Type: text/x-heron-note; charset=us-ascii\nContent-Transfer-Encoding: binary\n\nbright morning\n' +
        '--pair\nContent-Type: text/x-heron-note; charset=us-ascii\nContent-Transfer-Encoding: binary\n\nbright morning\n--pair--\npair epilogue\n',
    );
    assert.equal(text(await binary(m, '1')), want);
    assert.equal(await binarySizeOf(m, '1'), 431);
    assert.equal(want.length, 431);
    assert.equal(text(await binary(m, '1.1')), 'bright morning');
    assert.equal(await binarySizeOf(m, ''), 689);
  });

  test('literal8 only when the decoded bytes hold NUL; unknown encoding is UNKNOWN-CTE', async () => {
    const raw = Buffer.from(
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\nAC0K\r\n' +
        '--b\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 x\r\n--b\r\nContent-Transfer-Encoding: 8bit\r\n\r\nplain\r\n--b--\r\n',
    );
    const m = await stored(raw);
    const one = await binary(m, '1');
    assert.deepEqual(one, { text: '\0-\n', literal8: true });
    assert.deepEqual(await binary(m, '2'), { error: 'UNKNOWN-CTE' });
    assert.deepEqual(await binarySizeOf(m, '2'), { error: 'UNKNOWN-CTE' });
    assert.deepEqual(await binary(m, '3'), { text: 'plain', literal8: false });
    // A part that does not exist is the empty string.
    assert.deepEqual(await binary(m, '9'), { text: '', literal8: false });
  });

  test('a large base64 attachment stored as a blob decodes in a stream, partials included', async () => {
    const data = Buffer.alloc(2 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) & 0xff;
    const b64 = data.toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = Buffer.from(`Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n`);
    const m = await stored(raw);
    assert.ok(m.content.some((s) => 'blobId' in s));
    assert.equal(await binarySizeOf(m, '1'), data.length);
    const r = await binary(m, '1', { origin: 1_500_000, count: 1000 });
    assert.equal(text(r), data.subarray(1_500_000, 1_501_000).toString('latin1'));
  });
});

describe('APPEND of binary content (RFC 3516 4.4): stored as base64, served back exactly', () => {
  test('a binary root body with NUL, 8-bit bytes and bare line ends: BINARY[1] gives the bytes back, BODY[1] is 7-bit text', async () => {
    const bin = Buffer.from([0x0a, 0x00, 0xff, 0x0d, 0x41, 0x0d, 0x0a, 0x00, 0x7f]);
    const raw = Buffer.concat([
      Buffer.from('From: Tove Anand <tove@anand.example.test>\r\nDate: Sun, 14 Jun 2020 16:00:00 +0530\r\nMIME-Version: 1.0\r\nContent-Type: application/x-heron-blob\r\nContent-Transfer-Encoding: binary\r\n\r\n'),
      bin,
    ]);
    const m = await stored(encodeBinaryParts(raw));
    assert.deepEqual(await binarySizeOf(m, '1'), bin.length);
    const got = await binary(m, '1');
    assert.deepEqual(got, { text: bin.toString('latin1'), literal8: true });
    const b1 = await body(m, '1');
    assert.match(b1, /^[A-Za-z0-9+/=\r\n]+$/);
    assert.match(await body(m, 'HEADER'), /Content-Transfer-Encoding: base64\r\n\r\n$/);
  });

  test('binary parts inside a multipart; parts without NUL or binary CTE are left alone', async () => {
    const bin = Buffer.from('a\0b\rc\nd', 'latin1');
    const raw = Buffer.concat([
      Buffer.from('Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: text/plain\r\n\r\nplain text\r\n--q\r\nContent-Type: application/x-thing\r\n\r\n'),
      bin,
      Buffer.from('\r\n--q--\r\n'),
    ]);
    const converted = encodeBinaryParts(raw);
    const m = await stored(converted);
    assert.equal(text(await binary(m, '1')), 'plain text');
    assert.equal(text(await binary(m, '2')), bin.toString('latin1'));
    assert.equal(encodeBinaryParts(Buffer.from('Subject: x\r\n\r\nno binary\r\n')).toString(), 'Subject: x\r\n\r\nno binary\r\n');
  });
});
