import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHeaderBlock, formatHeaderField, headerValue, headerValues, normalizeLineEnds, splitHeader } from '../../../mail/mime/index.js';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('normalizeLineEnds', () => {
  test('clean input is returned as is (no copy)', () => {
    const raw = b('A: 1\r\n\r\nbody\r\n');
    assert.equal(normalizeLineEnds(raw), raw);
  });
  test('bare LF and bare CR both become CRLF, CRLF untouched', () => {
    assert.equal(normalizeLineEnds(b('a\nb\rc\r\nd\n\re\r\r\n')).toString('latin1'), 'a\r\nb\r\nc\r\nd\r\n\r\ne\r\n\r\n');
    assert.equal(normalizeLineEnds(b('\r')).toString('latin1'), '\r\n');
    assert.equal(normalizeLineEnds(b('\n')).toString('latin1'), '\r\n');
    assert.equal(normalizeLineEnds(b('')).length, 0);
  });
});

describe('splitHeader', () => {
  test('fields with offsets, folds, raw and unfolded values', () => {
    const raw = b('From: Ann <ann@x>\r\nSubject: a\r\n  folded\r\nX-Empty:\r\nSubject : second\r\n\r\nbody');
    const h = splitHeader(raw);
    assert.deepEqual(h.fields.map((f) => f.name), ['From', 'Subject', 'X-Empty', 'Subject']);
    assert.equal(h.fields[1]!.raw.toString(), ' a\r\n  folded');
    assert.equal(h.fields[1]!.value, 'a  folded');
    assert.equal(h.fields[1]!.bytes.toString(), 'Subject: a\r\n  folded\r\n');
    assert.equal(h.fields[2]!.value, '');
    assert.deepEqual(headerValues(h, 'subject'), ['a  folded', 'second']);
    assert.equal(headerValue(h, 'x-none'), null);
    assert.equal(h.headerEnd, raw.indexOf('\r\n\r\n') + 2);
    assert.equal(h.bodyStart, raw.indexOf('body'));
    assert.equal(h.hasSeparator, true);
  });
  test('issue 9: a bare CR ends a line, so From: ann is a field and bob is in the body', () => {
    const raw = b('X-A: a\rFrom: ann@example.test\n\r\nFrom: bob@example.test\r\n\r\nhi');
    const h = splitHeader(raw);
    assert.deepEqual(h.fields.map((f) => [f.key, f.value]), [['x-a', 'a'], ['from', 'ann@example.test']]);
    // The same fields as in the normalised bytes.
    const n = normalizeLineEnds(raw);
    assert.deepEqual(splitHeader(n).fields.map((f) => f.value), ['a', 'ann@example.test']);
    assert.equal(n.subarray(splitHeader(n).bodyStart).toString(), 'From: bob@example.test\r\n\r\nhi');
  });
  test('headers only, no separator; empty input; empty header', () => {
    const h = splitHeader(b('A: 1\r\nB: 2'));
    assert.equal(h.hasSeparator, false);
    assert.equal(h.bodyStart, 10);
    assert.equal(h.fields[1]!.value, '2');
    assert.equal(h.fields[1]!.end, 10);
    const e = splitHeader(b(''));
    assert.deepEqual([e.fields.length, e.bodyStart, e.hasSeparator], [0, 0, false]);
    const z = splitHeader(b('\r\nbody'));
    assert.deepEqual([z.fields.length, z.headerEnd, z.bodyStart, z.hasSeparator], [0, 0, 2, true]);
  });
  test('lines without a colon and orphan continuations are kept as nameless fields', () => {
    const h = splitHeader(b(' orphan\r\nnot a field\r\nA: 1\r\n\r\n'));
    assert.deepEqual(h.fields.map((f) => [f.name, f.value]), [['', 'orphan'], ['', 'not a field'], ['A', '1']]);
  });
  test('offsets within a larger buffer, and maxFields keeps the extent exact', () => {
    const raw = b('xxxxA: 1\r\nB: 2\r\nC: 3\r\n\r\nbody');
    const h = splitHeader(raw, { start: 4, maxFields: 2 });
    assert.equal(h.fields.length, 2);
    assert.equal(h.truncated, true);
    assert.equal(h.fields[0]!.start, 4);
    assert.equal(raw.subarray(h.bodyStart).toString(), 'body');
  });
  test('UTF-8 values (RFC 6532) are read as UTF-8', () => {
    const h = splitHeader(Buffer.from('Subject: café\r\n\r\n'));
    assert.equal(h.fields[0]!.value, 'café');
  });
  test('no size window: a field after 1 MB of headers is seen', () => {
    const raw = b('X-Pad: ' + 'a'.repeat(900) + '\r\n').toString('latin1').repeat(1200) + 'From: ann@example.test\r\n\r\n';
    assert.deepEqual(headerValues(splitHeader(b(raw)), 'from'), ['ann@example.test']);
  });
});

describe('checkHeaderBlock', () => {
  const kinds = (s: string | Buffer, lim = {}) => checkHeaderBlock(typeof s === 'string' ? b(s) : s, lim).problems.map((p) => p.kind);
  test('a clean block', () => {
    const r = checkHeaderBlock(b('From: a@b\r\nSubject: x\r\n y\r\nX-Obs : ok\r\n\r\nbody\rwith bare cr'));
    assert.deepEqual(r.problems, []);
    assert.equal(r.fields, 3);
    assert.equal(r.bodyStart, 41);
  });
  test('issue 9 spoof: bare CR and bare LF reported with offsets', () => {
    const r = checkHeaderBlock(b('X-A: a\rFrom: ann@example.test\n\r\nFrom: bob@example.test\r\n\r\n'));
    assert.deepEqual(r.problems, [
      { kind: 'bare-cr', offset: 6 },
      { kind: 'bare-lf', offset: 29 },
    ]);
  });
  test('NUL, no colon, bad names, orphan continuation', () => {
    assert.deepEqual(kinds('A: x\0y\r\n\r\n'), ['nul']);
    assert.deepEqual(kinds('A: x\r\njunk line\r\n\r\n'), ['no-colon', 'bad-name']);
    assert.deepEqual(kinds(' cont\r\nA: 1\r\n\r\n'), ['no-colon']);
    assert.deepEqual(kinds('Bad Name: 1\r\n\r\n'), ['bad-name']);
    assert.deepEqual(kinds(': 1\r\n\r\n'), ['bad-name']);
    assert.deepEqual(kinds('A\x80: 1\r\n\r\n'), ['bad-name']);
    // Headers only, the last line without a colon.
    assert.deepEqual(kinds('A: 1\r\nB'), ['no-colon']);
  });
  test('limits: line length, field count, block size', () => {
    assert.deepEqual(kinds(`A: ${'x'.repeat(995)}\r\n\r\n`), []);
    assert.deepEqual(kinds(`A: ${'x'.repeat(996)}\r\n\r\n`), ['line-too-long']);
    assert.deepEqual(kinds('A: 1\r\n'.repeat(11) + '\r\n', { maxFields: 10 }), ['too-many-fields']);
    assert.deepEqual(kinds('A: 1\r\n'.repeat(11) + '\r\n', { maxBytes: 60 }), ['too-large']);
    assert.deepEqual(kinds('A: 1\r\n'.repeat(11) + '\r\n', { maxBytes: 68 }), []);
  });
  test('linear on hostile blocks: 1M short lines, 50 MB single line, 10 MB of spaces in a name', () => {
    const many = Buffer.from('A: 1\r\n'.repeat(1_000_000) + '\r\n');
    assert.deepEqual(checkHeaderBlock(many, { maxFields: Infinity, maxBytes: Infinity }).fields, 1_000_000);
    const long = Buffer.alloc(50 * 1024 * 1024, 0x61);
    long.write('X: ', 0);
    assert.deepEqual(kinds(long), ['line-too-long', 'too-large']);
    const spaces = Buffer.alloc(10 * 1024 * 1024, 0x20);
    spaces.write('A', 0);
    assert.deepEqual(kinds(spaces), ['line-too-long', 'no-colon', 'too-large']);
    assert.equal(splitHeader(many).fields.length, 1_000_000);
    assert.equal(splitHeader(long).fields.length, 1);
    const colonless = Buffer.from('abc\r\n'.repeat(500_000));
    assert.equal(splitHeader(colonless).fields.length, 500_000);
  });
});

describe('formatHeaderField', () => {
  test('folds long values at white space and refuses injection', () => {
    const f = formatHeaderField('Subject', 'word '.repeat(40).trim());
    assert.ok(f.endsWith('\r\n'));
    for (const line of f.slice(0, -2).split('\r\n')) assert.ok(line.length <= 78, line);
    assert.equal(splitHeader(b(f + '\r\n')).fields[0]!.value, 'word '.repeat(40).trim());
    assert.throws(() => formatHeaderField('Subject', 'x\r\nBcc: victim@x'), { name: 'HeaderFormatError' });
    assert.throws(() => formatHeaderField('Bad Name', 'x'), { name: 'HeaderFormatError' });
  });
});
