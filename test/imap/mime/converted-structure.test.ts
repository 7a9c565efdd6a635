import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identityEncoding } from '../../../imap/mime/converted-structure.js';

test('identity encoding of decoded bytes (RFC 2045 2.7-2.9): 7bit, 8bit, binary', () => {
  assert.equal(identityEncoding(Buffer.from('plain words\r\nand a second line')), '7bit');
  assert.equal(identityEncoding(Buffer.from('')), '7bit');
  assert.equal(identityEncoding(Buffer.from('1240 °C\r\n')), '8bit');
  assert.equal(identityEncoding(Buffer.from([0x41, 0x00, 0x42])), 'binary');
  assert.equal(identityEncoding(Buffer.from('bare\nline feed')), 'binary');
  assert.equal(identityEncoding(Buffer.from('bare\rreturn')), 'binary');
  assert.equal(identityEncoding(Buffer.from('x'.repeat(998) + '\r\n')), '7bit');
  assert.equal(identityEncoding(Buffer.from('x'.repeat(999))), 'binary');
});
