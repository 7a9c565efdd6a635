import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodedLength, decodeEncodedWords, decodeTransfer, transferDecoder, type TransferDecoder } from '../../../mail/mime/index.js';

/** Feeds `data` in pieces of the given sizes: the result must not depend on where chunks split. */
function chunked(data: Buffer, decoder: TransferDecoder, sizes: number[]): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  for (let i = 0; pos < data.length; i++) {
    const n = sizes[i % sizes.length]!;
    out.push(decoder.push(data.subarray(pos, pos + n)));
    pos += n;
  }
  out.push(decoder.end());
  return Buffer.concat(out);
}

describe('transfer decoders', () => {
  test('base64: white space and junk skipped, padded segments decoded one after another', () => {
    const d = (s: string) => decodeTransfer(Buffer.from(s), transferDecoder('base64')!).toString('latin1');
    assert.equal(d('YnJp\r\nZ2h0 IG1v\tcm5pbmc='), 'bright morning');
    assert.equal(d('YnJpZ2h0IA==bW9ybmluZw=='), 'bright morning');
    assert.equal(d('Y*2!F%s'), 'cal');
    assert.equal(d('Y2FsbQ'), 'calm');
    assert.equal(d('===='), '');
  });

  test('quoted-printable: RFC 2045 6.7 rules', () => {
    const d = (s: string) => decodeTransfer(Buffer.from(s, 'latin1'), transferDecoder('Quoted-Printable')!).toString('latin1');
    assert.equal(d('a=3Db=\r\nc'), 'a=bc');
    assert.equal(d('trailing  \r\nx'), 'trailing\r\nx');
    assert.equal(d('soft= \t\r\nbreak'), 'softbreak');
    assert.equal(d('bad =ZZ =4 end'), 'bad =ZZ =4 end');
    assert.equal(d('lower=e9'), 'lower\xe9');
    assert.equal(d('ends with ='), 'ends with ');
    assert.equal(d('ends with =4'), 'ends with =4');
  });

  test('results do not depend on chunk boundaries', () => {
    // Soft breaks with and without white space after "=", escapes split from their line, a
    // dangling "=4" at the end; base64 wrapped in white space with a second padded segment.
    const qp = Buffer.from('tally  \t\r\nnorth=\r\n\r\nrope\t=\r\nline\r\nkeel\t \t= \t\r\n=4B\r\ndeck = \t\r\nhand\r\nmast =\r\n=4D\r\nsail \t\r\noar=\r\n\r\nport_side=3Dleft\r\n=4', 'latin1');
    const b64 = Buffer.from('   YnJp  \r\n\tZ2h0 \r\n  IG1v   \t\r\n cm5pbmc= \r\n\r\nY2Fs');
    for (const [name, data] of [
      ['quoted-printable', qp],
      ['base64', b64],
    ] as const) {
      const whole = decodeTransfer(data, transferDecoder(name)!);
      for (const sizes of [[1], [2], [3], [1, 2, 5], [7, 1], [64]]) assert.deepEqual(chunked(data, transferDecoder(name)!, sizes), whole, `${name} ${sizes}`);
      assert.equal(decodedLength(data, transferDecoder(name)!), whole.length);
    }
  });

  test('random inputs split at random places decode the same as whole (fixed seed)', () => {
    let seed = 12345;
    const r = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = ['a', 'b', '=', '=4', '=41', '= ', ' ', '\t', '\r', '\n', '\r\n', 'Q', '_', '==', '=\r\n', '=z'];
    for (let k = 0; k < 500; k++) {
      const text = Array.from({ length: 1 + Math.floor(r() * 40) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      const data = Buffer.from(text, 'latin1');
      for (const name of ['quoted-printable', 'base64']) {
        const whole = decodeTransfer(data, transferDecoder(name)!);
        const sizes = Array.from({ length: 4 }, () => 1 + Math.floor(r() * 6));
        assert.deepEqual(chunked(data, transferDecoder(name)!, sizes), whole, `${name} ${JSON.stringify(text)} ${sizes}`);
      }
    }
  });

  test('a 20 MB run of white space in 16 KB chunks: no copying it over and over', () => {
    const d = transferDecoder('quoted-printable')!;
    const ws = Buffer.alloc(16 * 1024, ' ');
    for (let i = 0; i < 1280; i++) assert.equal(d.push(ws).length, 0);
    assert.deepEqual(d.push(Buffer.from('x\r\n')).length, 20 * 1024 * 1024 + 3);
  });

  test('identity encodings, and unknown ones', () => {
    for (const e of [null, '7bit', '8BIT', ' binary ']) assert.deepEqual(decodeTransfer(Buffer.from('a\0b'), transferDecoder(e)!), Buffer.from('a\0b'));
    assert.equal(transferDecoder('x-uuencode'), null);
  });

  test('a 50 MB quoted-printable line with no line end streams in bounded pieces', () => {
    const d = transferDecoder('quoted-printable')!;
    const chunk = Buffer.alloc(5 * 200_000, 'a=41 ');
    let total = 0;
    let largest = 0;
    for (let i = 0; i < 50; i++) {
      const out = d.push(chunk);
      total += out.length;
      largest = Math.max(largest, out.length);
    }
    total += d.end().length;
    // "aA " per 5 bytes; the white space at the very end is transport padding (rule 3).
    assert.equal(total, 50 * 200_000 * 3 - 1);
    assert.ok(largest <= chunk.length, 'output per push stays within its input');
  });
});

describe('RFC 2047 encoded words', () => {
  test('B and Q, adjacent words joined, bytes of one character split across words', () => {
    assert.equal(decodeEncodedWords('=?utf-8?q?caf=C3?= =?utf-8?q?=A9?= ok'), 'café ok');
    assert.equal(decodeEncodedWords('=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?='), 'éé');
    assert.equal(decodeEncodedWords('a =?iso-8859-1?q?=E9t=E9?= b'), 'a été b');
    assert.equal(decodeEncodedWords('=?utf-8*en?q?x_y?='), 'x y');
    assert.equal(decodeEncodedWords('=?x?q?broken'), '=?x?q?broken');
    assert.equal(decodeEncodedWords('=?unknown-charset?q?abc?='), 'abc');
  });
  test('UTF-7 is not a charset an encoded word may use to hide markup', () => {
    assert.equal(decodeEncodedWords('=?utf-7?q?+ADw-script+AD4-?='), '+ADw-script+AD4-');
  });
  test('linear on hostile input', () => {
    assert.equal(decodeEncodedWords('=?a?q?'.repeat(200_000)).length, 1_200_000);
    assert.equal(decodeEncodedWords('=?'.repeat(500_000)).length, 1_000_000);
  });
});
