/**
 * Search and fetch extensions on raw commands, after their RFCs' examples: ESEARCH (RFC 4731),
 * SEARCHRES (RFC 5182), WITHIN (RFC 5032), SORT and THREAD (RFC 5256), SORT=DISPLAY (RFC 5957),
 * ESORT and PARTIAL (RFC 5267), OBJECTID (RFC 8474), SAVEDATE (RFC 8514), PREVIEW (RFC 8970),
 * BINARY (RFC 3516), X-GM-EXT-1.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareMessage } from '../../mail/mime/index.js';
import { startHarness, type Harness } from './harness.js';
import { exchange, type RawSocket } from './raw-client.js';

/** Five messages with dates, senders and threads chosen so every sort and thread order is distinct. */
const MESSAGES = [
  { from: 'Zed <zed@example.test>', subject: 'Re: lunch', date: 'Tue, 2 Jan 2024 10:00:00 +0000', id: '<m2@t>', refs: '<m1@t>', body: 'yes please, noon', size: 0 },
  { from: 'Amy <amy@example.test>', subject: 'lunch', date: 'Mon, 1 Jan 2024 10:00:00 +0000', id: '<m1@t>', refs: '', body: 'where shall we eat today? attached a map', size: 0 },
  { from: 'bob@example.test', subject: 'report', date: 'Wed, 3 Jan 2024 10:00:00 +0000', id: '<m3@t>', refs: '', body: 'the quarterly report', size: 0 },
  { from: 'Carl <carl@example.test>', subject: 'Re: lunch', date: 'Thu, 4 Jan 2024 10:00:00 +0000', id: '<m4@t>', refs: '<m1@t> <m2@t>', body: 'me too', size: 0 },
  { from: 'Amy <amy@example.test>', subject: 'Fwd: report', date: 'Fri, 5 Jan 2024 10:00:00 +0000', id: '<m5@t>', refs: '', body: 'forwarding it', size: 0 },
];

describe('search and fetch extensions', () => {
  let h: Harness;
  let s: RawSocket;
  before(async () => {
    h = await startHarness();
    const box = await h.store.mail.createMailbox(h.alice.id, 'Find');
    for (const m of MESSAGES) {
      const raw = `From: ${m.from}\r\nTo: alice@example.test\r\nSubject: ${m.subject}\r\nDate: ${m.date}\r\nMessage-ID: ${m.id}\r\n${m.refs ? `References: ${m.refs}\r\n` : ''}\r\n${m.body}\r\n`;
      await h.store.mail.append(h.alice.id, box.id, await prepareMessage(Buffer.from(raw), h.blobs), { internalDate: new Date(m.date) });
    }
    s = await h.raw();
    await exchange(s, 'S', 'SELECT Find');
  });
  after(async () => {
    await h.close();
  });

  test('ESEARCH RETURN (MIN MAX COUNT ALL) and RETURN () (RFC 4731)', async () => {
    assert.match(await exchange(s, 'A', 'SEARCH RETURN (MIN MAX COUNT) SUBJECT lunch'), /\* ESEARCH \(TAG "A"\) MIN 1 MAX 4 COUNT 3/);
    assert.match(await exchange(s, 'B', 'UID SEARCH RETURN () SUBJECT lunch'), /\* ESEARCH \(TAG "B"\) UID ALL 1:2,4/);
    assert.match(await exchange(s, 'C', 'SEARCH RETURN (COUNT) SUBJECT nothing-like-this'), /\* ESEARCH \(TAG "C"\) COUNT 0\r\n/);
    assert.match(await exchange(s, 'D', 'SEARCH RETURN (PARTIAL 2:3) ALL'), /\* ESEARCH \(TAG "D"\) PARTIAL \(2:3 2:3\)/);
  });

  test('SEARCHRES: RETURN (SAVE) then $ in FETCH and SEARCH (RFC 5182)', async () => {
    await exchange(s, 'A', 'SEARCH RETURN (SAVE) FROM amy');
    assert.match(await exchange(s, 'B', 'FETCH $ (UID)'), /\* 2 FETCH \(UID 2\)[\s\S]*\* 5 FETCH \(UID 5\)/);
    assert.match(await exchange(s, 'C', 'UID SEARCH $ SUBJECT report'), /\* SEARCH 5\r\n/);
    assert.match(await exchange(s, 'D', 'SEARCH RETURN (SAVE MIN) FROM amy'), /D OK/);
    assert.match(await exchange(s, 'E', 'UID SEARCH UID $'), /\* SEARCH 2\r\n/);
  });

  test('WITHIN: OLDER and YOUNGER by INTERNALDATE (RFC 5032)', async () => {
    assert.match(await exchange(s, 'A', 'SEARCH YOUNGER 3600'), /\* SEARCH\r\n/);
    assert.match(await exchange(s, 'B', 'SEARCH OLDER 3600'), /\* SEARCH 1 2 3 4 5\r\n/);
  });

  test('SORT, SORT=DISPLAY and ESORT with PARTIAL (RFC 5256 3, RFC 5957, RFC 5267)', async () => {
    assert.match(await exchange(s, 'A', 'SORT (DATE) UTF-8 ALL'), /\* SORT 2 1 3 4 5\r\n/);
    assert.match(await exchange(s, 'B', 'SORT (REVERSE ARRIVAL) UTF-8 ALL'), /\* SORT 5 4 3 1 2\r\n/);
    assert.match(await exchange(s, 'C', 'SORT (SUBJECT DATE) UTF-8 ALL'), /\* SORT 2 1 4 3 5\r\n/);
    assert.match(await exchange(s, 'D', 'SORT (FROM) UTF-8 ALL'), /\* SORT 2 5 3 4 1\r\n/);
    assert.match(await exchange(s, 'E', 'SORT (DISPLAYFROM) UTF-8 ALL'), /\* SORT 2 5 3 4 1\r\n/);
    assert.match(await exchange(s, 'F', 'UID SORT RETURN (MIN MAX COUNT) (DATE) UTF-8 ALL'), /\* ESEARCH \(TAG "F"\) UID MIN 2 MAX 5 COUNT 5/);
    assert.match(await exchange(s, 'G', 'SORT RETURN (PARTIAL 1:2) (REVERSE DATE) UTF-8 ALL'), /\* ESEARCH \(TAG "G"\) PARTIAL \(1:2 5,4\)/);
  });

  test('THREAD REFERENCES and ORDEREDSUBJECT (RFC 5256 4)', async () => {
    assert.match(await exchange(s, 'A', 'THREAD REFERENCES UTF-8 ALL'), /\* THREAD \(2 1 4\)\(3 5\)\r\n/);
    assert.match(await exchange(s, 'B', 'THREAD ORDEREDSUBJECT UTF-8 ALL'), /\* THREAD \(2 \(1\)\(4\)\)\(3 5\)\r\n/);
    assert.match(await exchange(s, 'C', 'UID THREAD REFERENCES UTF-8 SUBJECT report'), /\* THREAD \(3 5\)\r\n/);
    assert.match(await exchange(s, 'D', 'THREAD BOGUS UTF-8 ALL', 'BAD'), /D BAD/);
  });

  test('OBJECTID, X-GM-MSGID / X-GM-THRID, SAVEDATE, PREVIEW in FETCH and SEARCH', async () => {
    const f = await exchange(s, 'A', 'FETCH 1 (EMAILID THREADID X-GM-MSGID X-GM-THRID SAVEDATE PREVIEW)');
    const emailId = /EMAILID \(([\w-]+)\)/.exec(f)![1]!;
    const threadId = /THREADID \(([\w-]+)\)/.exec(f)![1]!;
    assert.match(f, /X-GM-MSGID \d+/);
    assert.match(f, /SAVEDATE "\d\d-\w{3}-\d{4} \d\d:\d\d:\d\d \+0000"/);
    assert.match(f, /PREVIEW "yes please, noon"/);
    assert.match(await exchange(s, 'B', `SEARCH EMAILID ${emailId}`), /\* SEARCH 1\r\n/);
    const thread = await exchange(s, 'C', `SEARCH THREADID ${threadId}`);
    assert.match(thread, /\* SEARCH( \d)+\r\n/);
    const gm = /X-GM-THRID (\d+)/.exec(f)![1];
    assert.equal(await exchange(s, 'D', `SEARCH X-GM-THRID ${gm}`).then((t) => /\* SEARCH[^\r]*/.exec(t)![0]), /\* SEARCH[^\r]*/.exec(thread)![0]);
    assert.match(await exchange(s, 'E', 'SEARCH SAVEDSINCE 1-Jan-2000 SAVEDATESUPPORTED'), /\* SEARCH 1 2 3 4 5/);
  });

  test('X-GM-RAW uses the Gmail operators of the API (X-GM-EXT-1)', async () => {
    assert.match(await exchange(s, 'A', 'SEARCH X-GM-RAW "from:amy subject:report"'), /\* SEARCH 5\r\n/);
    assert.match(await exchange(s, 'B', 'UID SEARCH X-GM-RAW "lunch -from:carl"'), /\* SEARCH 1 2\r\n/);
    assert.match(await exchange(s, 'C', 'SEARCH X-GM-RAW "from:("', 'BAD'), /C BAD/);
  });

  test('BINARY: APPEND with literal8 and FETCH BINARY / BINARY.SIZE give the decoded bytes (RFC 3516)', async () => {
    const content = Buffer.from([0x68, 0x69, 0x00, 0xff, 0x0d, 0x0a]);
    const msg = Buffer.concat([Buffer.from('Subject: bin\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n'), content]);
    const out = await exchange(s, 'A', Buffer.concat([Buffer.from(`APPEND Find ~{${msg.length}+}\r\n`), msg]));
    const uid = /APPENDUID \d+ (\d+)/.exec(out)![1];
    const b = await exchange(s, 'B', `UID FETCH ${uid} (BINARY.SIZE[1] BINARY.PEEK[1] BODY.PEEK[1])`);
    assert.match(b, /BINARY\.SIZE\[1\] 6/);
    assert.ok(b.includes(`BINARY[1] ~{6}\r\n${content.toString('binary')}`), b);
    // The stored form is 7-bit: the body part came back base64.
    assert.match(b, /BODY\[1\] \{\d+\}\r\naGkA/);
  });
});
