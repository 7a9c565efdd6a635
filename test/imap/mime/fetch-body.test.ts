import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusMessage } from '../../mail/mime/fixtures/corpus.js';
import { body, crlf, stored } from './helpers.js';

// BODY[section]<partial> (RFC 3501 6.4.5) on the messages of test/mail/mime/fixtures/corpus.ts;
// every expected value here is also what a local Dovecot 2.3.19 answers for them.

describe('BODY[] sections of a single-part message', () => {
  test('HEADER ends with the empty line, TEXT is the rest, [] is the whole message', async () => {
    const raw = corpusMessage('short', 1);
    const m1 = await stored(raw);
    const hdr = crlf('From: Odile Marsh <odile@marsh.example.net>\nDate: Wed, 9 Oct 2019 14:05:00 -0300\nSubject: tide\n\n');
    assert.equal(await body(m1, 'HEADER'), hdr);
    assert.equal(await body(m1, 'TEXT'), 'low tide at six\r\n\r\n');
    assert.equal(await body(m1, ''), raw.toString('latin1'));
    assert.equal(hdr.length + 'low tide at six\r\n\r\n'.length, raw.length);
  });

  test('partial TEXT: origin and count land on either byte of a CRLF; a short tail; an origin past the end', async () => {
    const m2 = await stored(corpusMessage('short', 2));
    assert.equal(await body(m2, 'TEXT', { origin: 0, count: 4 }), 'buoy');
    assert.equal(await body(m2, 'TEXT', { origin: 5, count: 2 }), '44');
    const m3 = await stored(corpusMessage('short', 3)); // TEXT is "fathoms\r\n\r\n"
    const cases: Array<[number, number, string]> = [
      [0, 1, 'f'],
      [6, 1, 's'],
      [6, 2, 's\r'],
      [6, 3, 's\r\n'],
      [7, 1, '\r'],
      [7, 2, '\r\n'],
      [8, 1, '\n'],
      [10, 5, '\n'],
    ];
    for (const [origin, count, want] of cases) assert.equal(await body(m3, 'TEXT', { origin, count }), want, `<${origin}.${count}>`);
    // RFC 3501 6.4.5: an origin past the end is the empty string.
    assert.equal(await body(m3, 'TEXT', { origin: 500, count: 5 }), '');
  });

  test('HEADER.FIELDS and .NOT: names case-insensitive, repeats harmless, fields in message order, absent ones give the empty line alone', async () => {
    const m1 = await stored(corpusMessage('short', 1));
    const from = 'From: Odile Marsh <odile@marsh.example.net>\r\n';
    assert.equal(await body(m1, 'HEADER.FIELDS (from)'), `${from}\r\n`);
    assert.equal(await body(m1, 'HEADER.FIELDS (FROM from)'), `${from}\r\n`);
    assert.equal(await body(m1, 'HEADER.FIELDS (subject from)'), `${from}Subject: tide\r\n\r\n`);
    assert.equal(await body(m1, 'HEADER.FIELDS.NOT (date)'), `${from}Subject: tide\r\n\r\n`);
    assert.equal(await body(m1, 'HEADER.FIELDS.NOT (DATE date)'), `${from}Subject: tide\r\n\r\n`);
    // Issue 8: an absent field gives the empty line alone, not CRLFCRLF.
    assert.equal(await body(m1, 'HEADER.FIELDS (x-nowhere)'), '\r\n');
    const m2 = await stored(corpusMessage('short', 2));
    assert.equal(await body(m2, 'HEADER.FIELDS (date from)'), 'From: Pim Okafor <pim@okafor.example.com>\r\nDate: Thu, 10 Oct 2019 09:00:00 +0100\r\n\r\n');
    const m3 = await stored(corpusMessage('short', 3));
    assert.equal(await body(m3, 'HEADER.FIELDS.NOT (subject from date)'), '\r\n');
  });
});

describe('BODY[] sections of a multipart holding a message/rfc822 that holds a multipart/alternative', () => {
  const full = () => corpusMessage('mixedNested', 1).toString('latin1');
  const inner = crlf(
    'From: Joss Ferreira <joss@ferreira.example.com>\nDate: Tue, 28 Jan 2020 19:02:44 -0500\nSubject: germination table\nContent-Type: multipart/alternative; boundary="alt.7"\n\n' +
      'inner preamble line\n--alt.7\nContent-Type: text/html; charset=utf-8\n\n<ul><li>beans: 8 days</li></ul>\n\n--alt.7\nContent-Type: text/plain; charset=utf-8\n\nbeans: 8 days\n\n--alt.7--\ninner epilogue line\n',
  );

  test('TEXT starts at the preamble; a part without its final line end before the delimiter; .MIME is the part header', async () => {
    const m = await stored(corpusMessage('mixedNested', 1));
    assert.equal(await body(m, ''), full());
    assert.equal(await body(m, 'TEXT'), full().slice(full().indexOf('This preamble')));
    assert.equal(await body(m, 'HEADER'), full().slice(0, full().indexOf('This preamble')));
    assert.equal(await body(m, '1'), 'sow after frost\r\n');
    assert.equal(await body(m, '1.MIME'), 'Content-Type: text/x-heron-note; charset=us-ascii\r\n\r\n');
  });

  test('the message/rfc822 part: [2] is the whole message, 2.HEADER/2.TEXT/2.HEADER.FIELDS address its header and body', async () => {
    const m = await stored(corpusMessage('mixedNested', 1));
    assert.equal(await body(m, '2'), inner);
    assert.equal(await body(m, '2.MIME'), 'Content-Type: message/rfc822\r\n\r\n');
    assert.equal(await body(m, '2.HEADER'), inner.slice(0, inner.indexOf('\r\n\r\n') + 4));
    assert.equal(await body(m, '2.TEXT'), inner.slice(inner.indexOf('\r\n\r\n') + 4));
    assert.equal(await body(m, '2.HEADER.FIELDS (subject from x-nowhere)'), 'From: Joss Ferreira <joss@ferreira.example.com>\r\nSubject: germination table\r\n\r\n');
    assert.equal(
      await body(m, '2.HEADER.FIELDS.NOT (subject from x-nowhere)'),
      'Date: Tue, 28 Jan 2020 19:02:44 -0500\r\nContent-Type: multipart/alternative; boundary="alt.7"\r\n\r\n',
    );
  });

  test('parts of the encapsulated multipart are numbered under the message part (2.1, 2.2)', async () => {
    const m = await stored(corpusMessage('mixedNested', 1));
    assert.equal(await body(m, '2.1.MIME'), 'Content-Type: text/html; charset=utf-8\r\n\r\n');
    assert.equal(await body(m, '2.1'), '<ul><li>beans: 8 days</li></ul>\r\n');
    assert.equal(await body(m, '2.2.MIME'), 'Content-Type: text/plain; charset=utf-8\r\n\r\n');
    assert.equal(await body(m, '2.2'), 'beans: 8 days\r\n');
  });
});

describe('BODY[] sections under a message/rfc822 root', () => {
  const innerHeader = crlf('From: Noor Haddad <noor@haddad.example.net>\nDate: Fri, 13 Mar 2020 08:08:08 +0200\nSubject: lantern inventory\n\n');
  const innerBody = 'three lanterns, one wick short\r\n';

  test('part 1 is the encapsulated message; 1.1 its body', async () => {
    const m = await stored(corpusMessage('rfc822Root', 1));
    assert.equal(await body(m, 'TEXT'), innerHeader + innerBody);
    assert.equal(await body(m, '1'), innerHeader + innerBody);
    assert.equal(await body(m, '1.1'), innerBody);
    assert.equal(await body(m, '1.HEADER'), innerHeader);
    assert.equal(await body(m, '1.HEADER.FIELDS (subject from x-nowhere)'), 'From: Noor Haddad <noor@haddad.example.net>\r\nSubject: lantern inventory\r\n\r\n');
    assert.equal(await body(m, '1.HEADER.FIELDS.NOT (subject from x-nowhere)'), 'Date: Fri, 13 Mar 2020 08:08:08 +0200\r\n\r\n');
    assert.equal(await body(m, '1.TEXT'), innerBody);
  });

  test('multipart/digest inside it: parts default to message/rfc822 (RFC 2046 5.1.5); an empty part header is "\\r\\n"; padding after delimiters', async () => {
    const m = await stored(corpusMessage('digestInMessage', 1));
    const text = await body(m, 'TEXT');
    assert.equal(await body(m, '1'), text);
    assert.ok(text.startsWith('From: Lists Desk <desk@lists.example.com>\r\n') && text.endsWith('--bundle--\r\n\r\ntrailing words\r\n'));
    assert.equal(await body(m, '1.HEADER'), text.slice(0, text.indexOf('\r\n\r\n') + 4));
    assert.equal(await body(m, '1.TEXT'), text.slice(text.indexOf('\r\n\r\n') + 4));
    assert.equal(await body(m, '1.1'), 'From: ana@north.example.com\r\nSubject: first entry\r\n\r\nentry one text\r\n');
    assert.equal(await body(m, '1.1.MIME'), '\r\n');
    assert.equal(await body(m, '1.1.HEADER'), 'From: ana@north.example.com\r\nSubject: first entry\r\n\r\n');
    assert.equal(await body(m, '1.1.TEXT'), 'entry one text\r\n');
    assert.equal(await body(m, '1.1.1'), 'entry one text\r\n');
    assert.equal(await body(m, '1.2'), 'From: ben@south.example.com\r\nSubject: second entry\r\n\r\nentry two text\r\n');
    assert.equal(await body(m, '1.2.MIME'), 'X-Digest-Note: second header line\r\n\r\n');
    assert.equal(await body(m, '1.2.HEADER'), 'From: ben@south.example.com\r\nSubject: second entry\r\n\r\n');
    assert.equal(await body(m, '1.2.TEXT'), 'entry two text\r\n');
  });

  test('message/rfc822 inside message/rfc822: each level adds one part number', async () => {
    const m = await stored(corpusMessage('rfc822Twice', 1));
    const middle = crlf('From: Mila Novak <mila@novak.example.net>\nDate: Sat, 14 Mar 2020 07:07:07 +0100\nMIME-Version: 1.0\nContent-Type: message/rfc822\n\n');
    assert.equal(await body(m, 'TEXT'), middle + innerHeader + innerBody);
    assert.equal(await body(m, '1'), middle + innerHeader + innerBody);
    assert.equal(await body(m, '1.1'), innerHeader + innerBody);
    assert.equal(await body(m, '1.HEADER'), middle);
    assert.equal(await body(m, '1.TEXT'), innerHeader + innerBody);
    assert.equal(await body(m, '1.1.1'), innerBody);
    assert.equal(await body(m, '1.1.HEADER'), innerHeader);
    assert.equal(await body(m, '1.1.TEXT'), innerBody);
  });
});

describe('sections that do not exist, and odd ones', () => {
  test('nonexistent part numbers and HEADER/TEXT on a non-message part are the empty string', async () => {
    const m = await stored(corpusMessage('mixedNested', 1));
    // Dovecot is laxer here (it serves [0], [1.1] and [2.1.1] as the part itself); Heron follows RFC 3501's part numbering strictly.
    for (const s of ['3', '0', '1.1', '1.HEADER', '1.TEXT', '2.3', '2.1.1', '99.1.MIME', 'MIME']) assert.equal(await body(m, s), '', s);
  });

  test('part 1 of a single-part message is its body; 1.MIME its header', async () => {
    const m = await stored(corpusMessage('short', 1));
    assert.equal(await body(m, '1'), 'low tide at six\r\n\r\n');
    assert.equal(await body(m, '1.MIME'), await body(m, 'HEADER'));
    assert.equal(await body(m, '2'), '');
  });

  test('HEADER.FIELDS of a headers-only message: the field gets its line end, no empty line follows (as Dovecot)', async () => {
    const m = await stored(Buffer.from('Subject: a\r\nFrom: b@c'));
    assert.equal(await body(m, 'HEADER.FIELDS (from)'), 'From: b@c\r\n');
    assert.equal(await body(m, 'HEADER'), 'Subject: a\r\nFrom: b@c');
    assert.equal(await body(m, 'TEXT'), '');
  });

  test('folded fields are returned as written', async () => {
    const m = await stored(Buffer.from('Subject: a\r\n  b\r\nX: y\r\n\r\nz'));
    assert.equal(await body(m, 'HEADER.FIELDS (subject)'), 'Subject: a\r\n  b\r\n\r\n');
  });

  test('sections of a message whose attachment is a blob stream from the blob store', async () => {
    const att = Buffer.alloc(300 * 1024, 'QUJD');
    const raw = Buffer.from(
      'From: a@b\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
        att.toString('latin1') +
        '\r\n--x--\r\n',
    );
    const m = await stored(raw);
    assert.ok(m.content.some((s) => 'blobId' in s));
    assert.equal(await body(m, ''), raw.toString('latin1'));
    assert.equal(await body(m, '2'), att.toString('latin1'));
    assert.equal(await body(m, '2', { origin: 100_000, count: 10 }), att.subarray(100_000, 100_010).toString('latin1'));
    assert.equal(await body(m, 'TEXT', { origin: 0, count: 4 }), '--x\r');
  });
});
