import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandReader } from '../../../imap/protocol/command-reader.js';
import { DEFAULT_PROTOCOL_LIMITS } from '../../../imap/protocol/limits.js';
import { frames } from './helpers.js';

const text = (b: Buffer): string => b.toString('binary');

test('pipelined commands in one chunk come out one by one; CRLF and bare LF both end a line', () => {
  const evs = frames('a1 NOOP\r\na2 CAPABILITY\na3 LOGOUT\r\n');
  assert.deepEqual(evs.map((e) => e.type === 'command' && text(e.frame.segments[0]!)), ['a1 NOOP', 'a2 CAPABILITY', 'a3 LOGOUT']);
});

test('a synchronising literal asks for continuation; LITERAL+ and LITERAL- do not (RFC 7888)', () => {
  const evs = frames('A003 APPEND saved-messages (\\Seen) {22}\r\nDate: x\r\n\r\nHello Joe\r\n\r\nB LOGIN {3+}\r\nbob {4-}\r\npass\r\n');
  assert.equal(evs[0]!.type, 'continue');
  assert.equal(evs[0]!.type === 'continue' && evs[0].size, 22);
  const a = evs[1]!;
  assert.ok(a.type === 'command');
  assert.equal(a.frame.tag, 'A003');
  assert.deepEqual(a.frame.segments.map(text), ['A003 APPEND saved-messages (\\Seen) ', '']);
  assert.equal(text(a.frame.literals[0]!.data), 'Date: x\r\n\r\nHello Joe\r\n');
  const b = evs[2]!;
  assert.ok(b.type === 'command');
  assert.deepEqual(b.frame.literals.map((l) => text(l.data)), ['bob', 'pass']);
  assert.equal(evs.length, 3);
});

test('literal8 ~{n} keeps NUL bytes and is marked binary (RFC 3516)', () => {
  const evs = frames('A APPEND INBOX ~{5+}\r\na\0b\0c\r\n');
  const a = evs[0]!;
  assert.ok(a.type === 'command');
  assert.equal(a.frame.literals[0]!.binary, true);
  assert.deepEqual([...a.frame.literals[0]!.data], [0x61, 0, 0x62, 0, 0x63]);
});

test('input split byte by byte frames the same', () => {
  const input = Buffer.from('t1 LOGIN {5+}\r\nalice {3+}\r\npw!\r\nt2 NOOP\r\n');
  const r = new CommandReader(DEFAULT_PROTOCOL_LIMITS);
  const got: string[] = [];
  for (const byte of input) {
    r.push(Buffer.from([byte]));
    for (let ev = r.next(); ev.type !== 'need-more'; ev = r.next()) {
      assert.ok(ev.type === 'command');
      got.push(ev.frame.segments.map(text).join('|') + '#' + ev.frame.literals.map((l) => text(l.data)).join('|'));
    }
  }
  assert.deepEqual(got, ['t1 LOGIN | |#alice|pw!', 't2 NOOP#']);
});

test('a line over the limit is a fatal TOOBIG error without buffering the rest', () => {
  const r = new CommandReader({ ...DEFAULT_PROTOCOL_LIMITS, maxLineLength: 1000 });
  r.push(Buffer.alloc(600, 0x41));
  assert.equal(r.next().type, 'need-more');
  r.push(Buffer.alloc(600, 0x41));
  const ev = r.next();
  assert.ok(ev.type === 'error' && ev.fatal);
  assert.equal(ev.error.code, 'TOOBIG');
});

test('a 60 MB line with no CRLF is refused at the line limit', () => {
  const r = new CommandReader(DEFAULT_PROTOCOL_LIMITS);
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  let fatal = false;
  let fed = 0;
  while (fed < 60 * 1024 * 1024) {
    r.push(chunk);
    fed += chunk.length;
    const ev = r.next();
    if (ev.type === 'error' && ev.fatal) {
      fatal = true;
      break;
    }
  }
  assert.ok(fatal);
  assert.ok(fed <= DEFAULT_PROTOCOL_LIMITS.maxLineLength + 2 * chunk.length, `refused after ${fed} bytes`);
});

test('an oversized synchronising literal is refused before its bytes; the next command still parses', () => {
  const evs = frames('B1 APPEND INBOX {999999999}\r\nB2 SELECT {99999999}\r\nN1 NOOP\r\n');
  assert.ok(evs[0]!.type === 'error' && !evs[0].fatal);
  assert.equal(evs[0]!.type === 'error' && evs[0].tag, 'B1');
  assert.equal(evs[0]!.type === 'error' && evs[0].error.status, 'NO');
  assert.equal(evs[0]!.type === 'error' && evs[0].error.code, 'TOOBIG');
  assert.ok(evs[1]!.type === 'error' && evs[1].tag === 'B2' && evs[1].error.status === 'BAD');
  assert.ok(evs[2]!.type === 'command' && evs[2].frame.tag === 'N1');
  assert.equal(evs.length, 3);
});

test('an oversized non-synchronising literal is refused and its bytes and the rest of its command skipped', () => {
  const big = 'x'.repeat(2000);
  const evs = frames(`C1 LOGIN {2000+}\r\n${big} {3+}\r\nabc\r\nN1 NOOP\r\n`, { maxLiteralSize: 1000 });
  assert.ok(evs[0]!.type === 'error' && evs[0].tag === 'C1' && evs[0].error.code === 'TOOBIG');
  assert.ok(evs[1]!.type === 'command' && evs[1].frame.tag === 'N1');
  assert.equal(evs.length, 2);
});

test('a non-synchronising literal bigger than any APPEND ends the session', () => {
  const evs = frames('C1 APPEND INBOX {99999999999+}\r\n');
  assert.ok(evs[0]!.type === 'error' && evs[0].fatal);
});

test('literals per command and command size are bounded', () => {
  let cmd = 'L1 ID (';
  for (let i = 0; i < 5; i++) cmd += `{1+}\r\na `;
  const evs = frames(cmd + 'NIL)\r\nN1 NOOP\r\n', { maxLiterals: 3 });
  assert.ok(evs[0]!.type === 'error' && evs[0].error.code === 'LIMIT');
  assert.ok(evs.some((e) => e.type === 'command' && e.frame.tag === 'N1'));
  const big = frames(`X SEARCH TEXT {900+}\r\n${'y'.repeat(900)} TEXT {900+}\r\n${'y'.repeat(900)}\r\n`, { maxCommandSize: 1500 });
  assert.ok(big[0]!.type === 'error' && big[0].error.code === 'TOOBIG');
});

test('empty lines between commands are ignored; readLine returns raw continuation lines', () => {
  const r = new CommandReader(DEFAULT_PROTOCOL_LIMITS);
  r.push(Buffer.from('\r\n\r\nA IDLE\r\nDONE\r\n'));
  const ev = r.next();
  assert.ok(ev.type === 'command' && text(ev.frame.segments[0]!) === 'A IDLE');
  assert.ok(r.idle);
  assert.equal(r.readLine()?.toString(), 'DONE');
  assert.equal(r.readLine(), null);
});
