import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMbox, unescapeFrom, type MboxEntry, type MboxOversize } from '../../../mail/import/index.js';

const dir = mkdtempSync(join(tmpdir(), 'heron-mbox-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function read(content: string | Buffer, opts: { chunkSize?: number; maxMessageSize?: number } = {}): Promise<Array<MboxEntry | MboxOversize>> {
  const path = join(dir, `m-${Math.random().toString(36).slice(2)}.mbox`);
  writeFileSync(path, content);
  const out: Array<MboxEntry | MboxOversize> = [];
  for await (const e of readMbox(path, { maxMessageSize: opts.maxMessageSize ?? 1 << 20, ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}) })) out.push(e);
  return out;
}

const text = (e: MboxEntry | MboxOversize) => ('raw' in e ? e.raw.toString('latin1') : `<oversize ${e.size}>`);

const MBOX = [
  'From alice@example.net Mon Jan  1 00:00:00 2024',
  'Subject: one',
  '',
  'Hello',
  '>From the escaped line',
  '>>From twice escaped',
  'From inside a paragraph, not after an empty line',
  '',
  'From bob@example.net Tue Jan  2 10:20:30 2024',
  'Subject: two',
  '',
  'Bye',
  '',
  'From carol@example.net Wed Jan  3 00:00:00 2024',
  'Subject: three (no final newline)',
  '',
  'end',
].join('\n');

test('splits on "From " lines after an empty line, unescapes mboxrd and drops the separating empty line', async () => {
  const got = await read(MBOX);
  assert.equal(got.length, 3);
  assert.equal(
    text(got[0]!),
    'Subject: one\n\nHello\nFrom the escaped line\n>From twice escaped\nFrom inside a paragraph, not after an empty line\n',
  );
  assert.equal(text(got[1]!), 'Subject: two\n\nBye\n');
  assert.equal(text(got[2]!), 'Subject: three (no final newline)\n\nend');
  assert.equal((got[1] as MboxEntry).separator, 'bob@example.net Tue Jan  2 10:20:30 2024');
  assert.equal((got[1] as MboxEntry).offset, MBOX.indexOf('From bob'));
});

test('every read-chunk size gives the same messages (separators split across chunks)', async () => {
  const whole = (await read(MBOX)).map(text);
  for (let size = 1; size <= 17; size++) assert.deepEqual((await read(MBOX, { chunkSize: size })).map(text), whole, `chunk ${size}`);
  const crlf = MBOX.replace(/\n/g, '\r\n');
  const wholeCrlf = (await read(crlf)).map(text);
  assert.equal(wholeCrlf.length, 3);
  assert.equal(wholeCrlf[1], 'Subject: two\r\n\r\nBye\r\n');
  for (const size of [1, 2, 3, 5, 7]) assert.deepEqual((await read(crlf, { chunkSize: size })).map(text), wholeCrlf, `crlf chunk ${size}`);
  // Two separators in a row (an empty message) are found whatever the chunks.
  const twice = 'From a@b Mon Jan  1 00:00:00 2024\nFrom c@d Mon Jan  1 00:00:00 2024\nSubject: x\n\ny\n';
  for (let size = 1; size <= 9; size++) assert.deepEqual((await read(twice, { chunkSize: size })).map(text), ['', 'Subject: x\n\ny\n'], `twice, chunk ${size}`);
});

test('a message over the cap is skipped while streaming and reported with its size', async () => {
  const big = `From a@b Mon Jan  1 00:00:00 2024\nSubject: big\n\n${'x'.repeat(5000)}\n\nFrom a@b Mon Jan  1 00:00:00 2024\nSubject: small\n\nok\n`;
  const got = await read(big, { maxMessageSize: 1000, chunkSize: 64 });
  assert.equal(got.length, 2);
  assert.ok('oversize' in got[0]! && got[0].size > 5000);
  assert.equal(text(got[1]!), 'Subject: small\n\nok\n');
});

test('a file without a separator is one message; an empty file is none; a line with no end is body', async () => {
  assert.deepEqual((await read('Subject: lone\n\nbody\n')).map(text), ['Subject: lone\n\nbody\n']);
  assert.deepEqual(await read(''), []);
  const long = `From a@b Mon Jan  1 00:00:00 2024\nSubject: x\n\n${'y'.repeat(10_000)}`;
  assert.equal((await read(long, { chunkSize: 100 })).map(text)[0]!.length, 'Subject: x\n\n'.length + 10_000);
});

test('a pathological file (one huge line starting "From ", no newline) stays linear and bounded', async () => {
  const t = Date.now();
  const got = await read(`From ${'z'.repeat(3_000_000)}`, { maxMessageSize: 1 << 20 });
  assert.ok(Date.now() - t < 5000);
  assert.equal(got.length, 1);
  assert.ok('oversize' in got[0]!);
});

test('unescapeFrom touches only ">From " at the start of lines', () => {
  assert.equal(unescapeFrom(Buffer.from('>From a\nx >From b\n>>From c\n>Fro d\n')).toString(), 'From a\nx >From b\n>From c\n>Fro d\n');
});
