import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { Encoder, statusLine, untagged, type Piece } from '../../../imap/protocol/encoder.js';
import { decodeMailboxName, decodeMutf7, encodeMutf7 } from '../../../imap/protocol/mailbox-name.js';
import { formatDateTime, parseDateText, parseDateTimeText } from '../../../imap/protocol/dates.js';
import { expandSequenceNumbers, formatSequenceSet, normalizeRanges, STAR } from '../../../imap/protocol/sequence-set.js';
import { atom, literal, run } from '../../../imap/protocol/values.js';

const flat = (pieces: Piece[]): string => pieces.map((p) => (typeof p === 'string' ? p : Buffer.isBuffer(p) ? p.toString('binary') : `<stream ${p.length}>`)).join('');

test('encoder: NIL, numbers, atoms, quoted strings with escapes, literals, nested lists', () => {
  const out = flat(untagged([12, atom('FETCH'), [atom('FLAGS'), [atom('\\Seen')], atom('ENVELOPE'), [null, 'a "quoted" \\ word', 'line\r\nbreak', '']]], { utf8: false }));
  assert.equal(out, '* 12 FETCH (FLAGS (\\Seen) ENVELOPE (NIL "a \\"quoted\\" \\\\ word" {11}\r\nline\r\nbreak ""))\r\n');
});

test('encoder: a run writes its values back to back (RFC 3501 1*body, 1*address), a literal inside it included', () => {
  const bodies = run([[atom('"TEXT"'), 1], [atom('"TEXT"'), 2], literal(Buffer.from('x'))]);
  assert.equal(flat(untagged([[bodies, 'MIXED']], { utf8: false })), '* (("TEXT" 1)("TEXT" 2){1}\r\nx "MIXED")\r\n');
  assert.equal(flat(untagged([[run([])], run([1])], { utf8: false })), '* () 1\r\n');
});

test('encoder: 8-bit text is a literal for IMAP4rev1 and quoted with UTF8=ACCEPT (RFC 6855)', () => {
  assert.equal(flat(untagged(['Grüße'], { utf8: false })), '* {7}\r\nGrüße\r\n'.replace('Grüße', Buffer.from('Grüße').toString('binary')));
  assert.equal(Buffer.concat(untagged(['Grüße'], { utf8: true }).map((p) => Buffer.from(p as string, 'utf8'))).toString(), '* "Grüße"\r\n');
});

test('encoder: binary literal8 and streamed literals keep their announced length', () => {
  const enc = new Encoder({ utf8: false });
  enc.raw('* 1 FETCH (').value(atom('BINARY[]')).raw(' ').value({ literal: Buffer.from([0, 1]), binary: true });
  enc.raw(' BODY[] ').value({ literal: { length: 5, open: () => Readable.from([Buffer.from('hello')]) } }).raw(')');
  const pieces = enc.finish();
  assert.equal(flat(pieces), '* 1 FETCH (BINARY[] ~{2}\r\n\x00\x01 BODY[] {5}\r\n<stream 5>)\r\n');
  assert.equal(flat([...new Encoder({ utf8: false }).value(literal(Buffer.alloc(0))).finish()]), '{0}\r\n\r\n');
});

test('status lines carry codes and never a CR/LF from the text', () => {
  assert.equal(statusLine('a1', 'NO', 'no such\r\nmailbox', 'NONEXISTENT'), 'a1 NO [NONEXISTENT] no such  mailbox\r\n');
  assert.equal(statusLine('*', 'OK', 'x', 'BADCHARSET', '(UTF-8)'), '* OK [BADCHARSET (UTF-8)] x\r\n');
});

test('modified UTF-7 (RFC 3501 5.1.3 examples) round-trips; invalid forms are refused', () => {
  assert.equal(encodeMutf7('~peter/mail/台北/日本語'), '~peter/mail/&U,BTFw-/&ZeVnLIqe-');
  assert.equal(decodeMutf7('~peter/mail/&U,BTFw-/&ZeVnLIqe-'), '~peter/mail/台北/日本語');
  assert.equal(encodeMutf7('A&B'), 'A&-B');
  assert.equal(decodeMutf7('A&-B'), 'A&B');
  assert.equal(decodeMutf7('Entw&APw-rfe'), 'Entwürfe');
  for (const s of ['Entwürfe', 'Ünïcödé & more', '😀 emoji', 'tab\there']) assert.equal(decodeMutf7(encodeMutf7(s)), s);
  for (const bad of ['&U,BTFw', '&AGE-', '&!!-', '&U,BTF-']) assert.equal(decodeMutf7(bad), null, bad);
  assert.equal(decodeMailboxName(Buffer.from('Entw&APw-rfe'), true), 'Entw&APw-rfe');
  assert.equal(decodeMailboxName(Buffer.from('Entwürfe'), false), 'Entwürfe');
  assert.equal(decodeMailboxName(Buffer.from([0x41, 0xff]), false), null);
});

test('dates: SEARCH days and APPEND date-times, validated', () => {
  assert.equal(parseDateText('1-Feb-1994'), 19940201);
  assert.equal(parseDateText('01-feb-1994'), 19940201);
  for (const bad of ['32-Jan-2000', '29-Feb-2023', '1-Foo-2000', '1-Feb-94', '1994-02-01', '']) assert.equal(parseDateText(bad), null, bad);
  assert.equal(parseDateText('29-Feb-2024'), 20240229);
  assert.equal(parseDateTimeText('17-Jul-1996 02:44:25 -0700')?.toISOString(), '1996-07-17T09:44:25.000Z');
  assert.equal(parseDateTimeText(' 7-Jul-1996 02:44:25 +0000')?.toISOString(), '1996-07-07T02:44:25.000Z');
  assert.equal(parseDateTimeText('17-Jul-1996 24:44:25 -0700'), null);
  assert.equal(formatDateTime(new Date('1996-07-07T02:44:25Z')), '07-Jul-1996 02:44:25 +0000');
});

test('sequence sets resolve `*` to the largest number and merge ranges', () => {
  assert.deepEqual(normalizeRanges([[3, STAR], [1, 1], [2, 2]], 5), [[1, 5]]);
  assert.deepEqual(normalizeRanges([[STAR, STAR]], 0), []);
  // UID 9999:* with a largest UID of 50 names 50 (RFC 3501 9: `*` is the largest number in use).
  assert.deepEqual(normalizeRanges([[9999, STAR]], 50), [[50, 50]]);
  assert.deepEqual(normalizeRanges([[60, 70]], 50), []);
  assert.deepEqual(expandSequenceNumbers([[1, 1], [STAR, STAR]], 4), [1, 4]);
  assert.equal(formatSequenceSet([1, 2, 3, 5, 7, 8]), '1:3,5,7:8');
  assert.equal(formatSequenceSet([]), '');
});
