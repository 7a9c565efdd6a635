import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandReader } from '../../../imap/protocol/command-reader.js';
import { ProtocolError } from '../../../imap/protocol/errors.js';
import { DEFAULT_PROTOCOL_LIMITS } from '../../../imap/protocol/limits.js';
import { parseCommand } from '../../../imap/protocol/parse-command.js';
import { rng } from '../../helpers/rng.js';
import { CORPUS, SPECIALS, mutate } from './corpus.js';

/** Feeds a stream in random-sized chunks; every event must be a command, a continuation or a protocol error. */
function run(stream: Buffer, r: () => number): number {
  const reader = new CommandReader({ ...DEFAULT_PROTOCOL_LIMITS, maxLiteralSize: 4096, maxAppendSize: 8192, maxAppendTotal: 16384 });
  let parsed = 0;
  let at = 0;
  while (at < stream.length) {
    const size = 1 + Math.floor(r() * 64);
    reader.push(stream.subarray(at, at + size));
    at += size;
    for (let ev = reader.next(); ev.type !== 'need-more'; ev = reader.next()) {
      if (ev.type === 'continue') {
        if (r() < 0.8) reader.accept();
        else reader.reject();
      } else if (ev.type === 'error') {
        assert.ok(ev.error instanceof ProtocolError);
        if (ev.fatal) return parsed;
      } else {
        try {
          parseCommand(ev.frame, DEFAULT_PROTOCOL_LIMITS);
          parsed++;
        } catch (err) {
          if (!(err instanceof ProtocolError)) throw err;
        }
      }
    }
  }
  return parsed;
}

test('fuzz: mutated corpus streams only ever parse or fail with a ProtocolError', () => {
  const r = rng(0x1ee7);
  const deadline = Date.now() + 8000;
  let rounds = 0;
  let parsed = 0;
  while (rounds < 20_000 && Date.now() < deadline) {
    const picks = Array.from({ length: 1 + Math.floor(r() * 5) }, () => Buffer.from(CORPUS[Math.floor(r() * CORPUS.length)]! + '\r\n', 'binary'));
    const stream = r() < 0.8 ? mutate(Buffer.concat(picks), r) : Buffer.concat(picks);
    parsed += run(stream, r);
    rounds++;
  }
  assert.ok(rounds > 1000, `only ${rounds} rounds`);
  assert.ok(parsed > 0);
});

test('fuzz: random bytes and random token soup', () => {
  const r = rng(42);
  const deadline = Date.now() + 4000;
  for (let i = 0; i < 5000 && Date.now() < deadline; i++) {
    const len = Math.floor(r() * 400);
    const raw = Buffer.alloc(len);
    for (let j = 0; j < len; j++) raw[j] = r() < 0.1 ? 0x0a : Math.floor(r() * 256);
    run(raw, r);
    const tokens = Array.from({ length: Math.floor(r() * 30) }, () => (r() < 0.5 ? SPECIALS[Math.floor(r() * SPECIALS.length)] : ['a', 'FETCH', 'UID', 'SEARCH', '1:*', 'BODY[', 'OR', 'NOT', 'LIST', '"x"', 'INBOX'][Math.floor(r() * 11)]));
    run(Buffer.from('t ' + tokens.join(r() < 0.5 ? ' ' : '') + '\r\n', 'binary'), r);
  }
});
