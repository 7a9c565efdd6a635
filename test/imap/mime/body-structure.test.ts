import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyStructureValue, envelopeValue } from '../../../imap/mime/index.js';
import { parseMessage } from '../../../mail/mime/index.js';
import { corpusMessage, type CorpusSet } from '../../mail/mime/fixtures/corpus.js';
import { wire } from './helpers.js';

const parsed = (set: CorpusSet, i: number) => parseMessage(corpusMessage(set, i));
/**
 * Lower-cased: atoms and the values Heron copies from the message may differ in case from
 * Dovecot's, which these expectations were checked against.
 */
const lc = (s: string) => s.toLowerCase();

describe('BODY / BODYSTRUCTURE', () => {
  test('BODY of a multipart whose quoted boundary is folded: no extension data', () => {
    const p = parsed('foldedBoundary', 1);
    assert.equal(lc(wire(bodyStructureValue(p.structure, { extensible: false }))), lc('(("text" "x-heron-note" ("charset" "us-ascii") NIL NIL "7bit" 8 1) "mixed")'));
  });

  test('BODYSTRUCTURE adds extension data to every part; the unfolded boundary keeps both spaces (RFC 5322 2.2.3)', () => {
    const p = parsed('foldedBoundary', 1);
    assert.equal(
      lc(wire(bodyStructureValue(p.structure, { extensible: true }))),
      lc('(("text" "x-heron-note" ("charset" "us-ascii") NIL NIL "7bit" 8 1 NIL NIL NIL NIL) "mixed" ("boundary" "quiet  harbor") NIL NIL NIL)'),
    );
  });

  test('message/rfc822 part: envelope, nested multipart, sizes and lines of base64 leaves (as sent, before decoding)', () => {
    const p = parsed('encodedInMessage', 1);
    const msg = p.structure.children![0]!;
    assert.equal(
      lc(wire(bodyStructureValue(msg, { extensible: true }))),
      lc(
        '("message" "rfc822" NIL NIL NIL "7bit" 474 ("Tue, 28 Jan 2020 19:02:44 -0500" "encoded pair" (("Joss Ferreira" NIL "joss" "ferreira.example.com")) (("Joss Ferreira" NIL "joss" "ferreira.example.com")) (("Joss Ferreira" NIL "joss" "ferreira.example.com")) NIL NIL NIL NIL NIL) ' +
          '(("text" "x-heron-note" ("charset" "us-ascii") NIL NIL "base64" 26 3 NIL NIL NIL NIL)("text" "x-heron-note" ("charset" "us-ascii") NIL NIL "base64" 45 5 NIL NIL NIL NIL) "alternative" ("boundary" "pair") NIL NIL NIL) 26 NIL NIL NIL NIL)',
      ),
    );
  });

  test('leaves: the CTE as written, a body without a final line end has 0 lines, non-text parts have no line count', () => {
    const p = parsed('base64Parts', 1);
    assert.equal(
      lc(wire(bodyStructureValue(p.structure, { extensible: false }))),
      lc(
        '(("text" "x-heron-note" ("charset" "us-ascii") NIL NIL "base64" 28 4)("text" "x-heron-note" ("charset" "us-ascii") NIL NIL "base64" 45 5)("text" "x-heron-note" ("charset" "us-ascii") NIL NIL "BASE64" 30 3)' +
          '("text" "x-heron-note" ("charset" "us-ascii") NIL NIL "base64" 32 0)("application" "x-heron-log" NIL NIL NIL "base64" 42) "mixed")',
      ),
    );
  });

  test('defaults: no Content-Type is text/plain; charset=us-ascii, 7BIT', () => {
    const p = parseMessage(Buffer.from('Subject: x\r\n\r\nhello\r\n'));
    assert.equal(wire(bodyStructureValue(p.structure, { extensible: false })), '("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 7 1)');
  });

  test('disposition, language (a list, as Dovecot sends it), location, md5, id, description', () => {
    const raw = Buffer.from(
      'Content-Type: multipart/mixed; boundary=b\r\nContent-Language: en\r\n\r\n--b\r\n' +
        'Content-Type: application/pdf; name="a b.pdf"\r\nContent-ID: <id@x>\r\nContent-Description: the file\r\nContent-Transfer-Encoding: base64\r\n' +
        'Content-Disposition: attachment; filename="a b.pdf"; size=3\r\nContent-Language: en, de\r\nContent-Location: http://x/a\r\nContent-MD5: Q2hlY2s=\r\n\r\nQUJD\r\n--b--\r\n',
    );
    const v = wire(bodyStructureValue(parseMessage(raw).structure, { extensible: true }));
    assert.equal(
      v,
      '(("application" "pdf" ("name" "a b.pdf") "<id@x>" "the file" "base64" 4 "Q2hlY2s=" ("attachment" ("filename" "a b.pdf" "size" "3")) ("en" "de") "http://x/a") "mixed" ("boundary" "b") NIL ("en") NIL)',
    );
  });

  test('a multipart without parts shows one empty text/plain (the grammar needs a body)', () => {
    const p = parseMessage(Buffer.from('Content-Type: multipart/mixed\r\n\r\nno boundary here\r\n'));
    assert.equal(wire(bodyStructureValue(p.structure, { extensible: false })), '(("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 0 0) "mixed")');
  });

  test('multipart/digest parts default to message/rfc822 with their envelope (RFC 2046 5.1.5)', () => {
    const p = parsed('digestInMessage', 1);
    const v = lc(wire(bodyStructureValue(p.structure, { extensible: false })));
    assert.match(v, /^\("message" "rfc822" nil nil nil "7bit" 414 \("sat, 14 mar 2020 23:59:00 -0800" "weekly bundle" /);
    assert.ok(v.includes('(("message" "rfc822" nil nil nil "7bit" 69 (nil "first entry" ((nil nil "ana" "north.example.com"))'), v);
    assert.ok(v.includes('("message" "rfc822" nil nil nil "7bit" 70 (nil "second entry" ((nil nil "ben" "south.example.com"))'), v);
    assert.ok(v.includes('("text" "plain" ("charset" "us-ascii") nil nil "7bit" 16 1) 4) "digest") 25)'), v);
  });

  test('RFC 3501 7.4.2 example shape: text/plain with charset, 2 parts in a mixed', () => {
    const raw = Buffer.from(
      'Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n' +
        'a\r\n'.repeat(23) +
        '\r\n--x\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII; NAME=cc.diff\r\nContent-ID: <960723163407.20117h@cac.washington.edu>\r\nContent-Description: Compiler diff\r\nContent-Transfer-Encoding: BASE64\r\n\r\n' +
        'QUJD\r\n'.repeat(68) +
        '\r\n--x--\r\n',
    );
    assert.equal(
      lc(wire(bodyStructureValue(parseMessage(raw).structure, { extensible: false }))),
      lc('(("TEXT" "PLAIN" ("charset" "US-ASCII") NIL NIL "7BIT" 69 23)("TEXT" "PLAIN" ("charset" "US-ASCII" "name" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 408 68) "mixed")'),
    );
  });

  test('no space between the bodies of a multipart (RFC 3501 body-type-mpart = 1*body SP media-subtype)', () => {
    const raw = Buffer.from('Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\na\r\n--x\r\n\r\nb\r\n--x--\r\n');
    assert.equal(
      wire(bodyStructureValue(parseMessage(raw).structure, { extensible: false })),
      '(("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 1 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 1 0) "mixed")',
    );
  });
});

describe('ENVELOPE', () => {
  // One case each: every field filled; a host without a dot (twice, bare and in angle brackets);
  // a name taken from a comment with groups, an empty group and a group of only a comment; empty
  // Sender/Reply-To (RFC 3501 7.4.2: they default to From); a source route (the adl).
  const cases: Array<[string, string]> = [
    [
      'all ten fields, names kept',
      '("Tue, 21 Apr 2020 18:30:45 -0600" "keeper rota for May" (("Greta Holm" NIL "greta" "holm.example.org")) (("Dov Reyes" NIL "dov" "reyes.example.org")) (("Eli Stone" NIL "eli" "stone.example.net")) (("Arlo Penn" NIL "arlo" "penn.example.net")) (("Bea Lark" NIL "bea" "lark.example.com")) (("Cyd Moss" NIL "cyd" "moss.example.test")) "<6e29.wick@lighthouse.example.org>" "<7f3a.lamp@lighthouse.example.org>")',
    ],
    ['a host without a dot; Sender and Reply-To default to From', '("Wed, 22 Apr 2020 05:00:00 +0000" NIL ((NIL NIL "keeper" "lighthouse")) ((NIL NIL "keeper" "lighthouse")) ((NIL NIL "keeper" "lighthouse")) NIL NIL NIL NIL NIL)'],
    ['the same address in angle brackets', '("Wed, 22 Apr 2020 05:00:00 +0000" NIL ((NIL NIL "keeper" "lighthouse")) ((NIL NIL "keeper" "lighthouse")) ((NIL NIL "keeper" "lighthouse")) NIL NIL NIL NIL NIL)'],
    [
      'name from a comment; groups open with (NIL NIL name NIL) and close with (NIL NIL NIL NIL), empty ones too',
      '("Thu, 23 Apr 2020 21:15:00 +1000" NIL (("Night Keeper" NIL "keeper" "lighthouse")) (("Night Keeper" NIL "keeper" "lighthouse")) (("Night Keeper" NIL "keeper" "lighthouse")) ((NIL NIL "tower" NIL)(NIL NIL "t1" "beacon.example.org")(NIL NIL "t2" "beacon.example.org")(NIL NIL NIL NIL)(NIL NIL "yard" NIL)(NIL NIL "y1" "dock.example.net")(NIL NIL NIL NIL)) ((NIL NIL "nobody-yet" NIL)(NIL NIL NIL NIL)(NIL NIL "quiet" NIL)(NIL NIL NIL NIL)) NIL NIL NIL)',
    ],
    ['empty Sender and Reply-To fields default to From', '("Fri, 24 Apr 2020 10:00:00 +0200" NIL (("Night Keeper" NIL "keeper" "lighthouse")) (("Night Keeper" NIL "keeper" "lighthouse")) (("Night Keeper" NIL "keeper" "lighthouse")) NIL NIL NIL NIL NIL)'],
    [
      'a source route is the adl',
      '("Sat, 25 Apr 2020 10:00:00 +0200" NIL ((NIL "@relay.example.net" "keeper" "lighthouse.example.org")) ((NIL "@relay.example.net" "keeper" "lighthouse.example.org")) ((NIL "@relay.example.net" "keeper" "lighthouse.example.org")) NIL NIL NIL NIL NIL)',
    ],
  ];
  cases.forEach(([name, expected], i) => {
    test(name, () => {
      // RFC 3501 env-from etc. = "(" 1*address ")": addresses back to back, as Dovecot writes them.
      assert.equal(wire(envelopeValue(parsed('envelopes', i + 1).envelope)), expected);
    });
  });

  test('issue 8: a missing Subject is NIL, an empty one is ""; encoded words stay as written', () => {
    const none = parseMessage(Buffer.from('From: a@b\r\n\r\n'));
    assert.match(wire(envelopeValue(none.envelope)), /^\(NIL NIL /);
    const empty = parseMessage(Buffer.from('Subject:\r\nFrom: =?utf-8?q?J=C3=B6rg?= <j@x>\r\n\r\n'));
    assert.equal(wire(envelopeValue(empty.envelope)), '(NIL "" (("=?utf-8?q?J=C3=B6rg?=" NIL "j" "x")) (("=?utf-8?q?J=C3=B6rg?=" NIL "j" "x")) (("=?utf-8?q?J=C3=B6rg?=" NIL "j" "x")) NIL NIL NIL NIL NIL)');
  });

  test('quoted names and local parts, addresses without a domain', () => {
    const p = parseMessage(Buffer.from('From: "Doe, John" <"j d"@x.org>, undisclosed\r\nTo: d\r\n\r\n'));
    assert.equal(
      wire(envelopeValue(p.envelope)),
      '(NIL NIL (("Doe, John" NIL "j d" "x.org")(NIL NIL "undisclosed" "MISSING_DOMAIN")) (("Doe, John" NIL "j d" "x.org")(NIL NIL "undisclosed" "MISSING_DOMAIN")) (("Doe, John" NIL "j d" "x.org")(NIL NIL "undisclosed" "MISSING_DOMAIN")) ((NIL NIL "d" "MISSING_DOMAIN")) NIL NIL NIL NIL)',
    );
  });

  test('the RFC 3501 example envelope', () => {
    const raw = Buffer.from(
      'Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\nFrom: Terry Gray <gray@cac.washington.edu>\r\nSubject: IMAP4rev1 WG mtg summary and minutes\r\n' +
        'To: imap@cac.washington.edu\r\ncc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\nMessage-Id: <B27397-0100000@cac.washington.edu>\r\n\r\nbody\r\n',
    );
    assert.equal(
      wire(envelopeValue(parseMessage(raw).envelope)),
      '("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.edu>")',
    );
  });
});
