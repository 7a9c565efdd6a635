import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { HeaderEndScanner } from '../../mail/spool/header-end.js';
import { readSpoolWithPrefix } from '../../mail/spool/read-with-prefix.js';
import { prepareSpoolDir, spoolToFile } from '../../mail/spool/spool-file.js';

/** Splits `text` into chunks of `size` bytes, like a socket would. */
function chunked(text: string | Buffer, size: number): Readable {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}

describe('spool', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'heron-spool-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('keeps the message as received; exactly maxBytes is allowed; small ones stay in memory', async () => {
    const msg = 'Subject: x\r\n\r\n' + 'a'.repeat(986);
    const r = await spoolToFile(chunked(msg, 7), { dir, name: 'exact', maxBytes: 1000 });
    assert.equal(r.size, 1000);
    assert.equal(r.overLimit, false);
    assert.equal(r.path, null);
    assert.equal(r.data?.toString('utf8'), msg);
    assert.equal(existsSync(join(dir, 'exact.eml')), false, 'no file for a small message');
  });

  test('a message that outgrows memoryLimit goes to the file whole, in order', async () => {
    const msg = 'Subject: big\r\n\r\n' + Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\r\n');
    const r = await spoolToFile(chunked(msg, 13), { dir, name: 'tofile', maxBytes: 1e6, memoryLimit: 100 });
    assert.equal(r.data, null);
    assert.equal(r.path, join(dir, 'tofile.eml'));
    assert.equal(readFileSync(r.path!, 'utf8'), msg);
  });

  test('one byte over: overLimit, every byte still read, nothing kept', async () => {
    for (const memoryLimit of [10, 1e6]) {
      const r = await spoolToFile(chunked('x'.repeat(1001), 100), { dir, name: `over${memoryLimit}`, maxBytes: 1000, memoryLimit });
      assert.equal(r.overLimit, true);
      assert.equal(r.size, 1001);
      assert.equal(r.path, null);
      assert.equal(r.data, null);
      assert.equal(existsSync(join(dir, `over${memoryLimit}.eml`)), false);
    }
  });

  test('header cap: a header block over the cap is refused even when split across chunks', async () => {
    const longHeader = 'X-Junk: ' + 'h'.repeat(5000) + '\r\n\r\nbody';
    for (const size of [1, 3, 64, 100000]) {
      const r = await spoolToFile(chunked(longHeader, size), { dir, name: `hdr${size}`, maxBytes: 1e6, maxHeaderBytes: 4096 });
      assert.equal(r.headerOverLimit, true, `chunk ${size}`);
      assert.equal(r.path, null);
      assert.equal(existsSync(join(dir, `hdr${size}.eml`)), false);
    }
    const fine = 'Subject: ok\r\n\r\n' + 'b'.repeat(10000);
    const r = await spoolToFile(chunked(fine, 5), { dir, name: 'hdr-ok', maxBytes: 1e6, maxHeaderBytes: 4096 });
    assert.equal(r.headerOverLimit, false);
  });

  test('header scanner finds the end with CRLF, bare LF, split separators', () => {
    for (const [text, expected] of [
      ['A: b\r\n\r\nbody', 6],
      ['A: b\n\nbody', 5],
      ['\r\nbody', 0],
    ] as const) {
      for (const size of [1, 2, 3, 100]) {
        const s = new HeaderEndScanner();
        const buf = Buffer.from(text);
        for (let i = 0; i < buf.length && !s.done; i += size) s.push(buf.subarray(i, i + size));
        assert.equal(s.done, true, `${JSON.stringify(text)} / ${size}`);
        assert.ok(s.headerBytes <= expected + 2, `${JSON.stringify(text)} / ${size}: ${s.headerBytes}`);
      }
    }
  });

  test('a source that errors removes the file and rejects', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('client went away'));
      },
    });
    await assert.rejects(spoolToFile(failing, { dir, name: 'broken', maxBytes: 1000 }), /client went away/);
    assert.equal(existsSync(join(dir, 'broken.eml')), false);
  });

  test('unsafe names are refused (no path traversal)', async () => {
    await assert.rejects(spoolToFile(chunked('x', 1), { dir, name: '../escape', maxBytes: 10 }), /unsafe/);
  });

  test('readSpoolWithPrefix puts the added headers in front in one buffer', async () => {
    const r = await spoolToFile(chunked('Subject: s\r\n\r\nb', 4), { dir, name: 'prefix', maxBytes: 100, memoryLimit: 0 });
    const buf = await readSpoolWithPrefix(r.path!, Buffer.from('Received: x\r\n'));
    assert.equal(buf.toString(), 'Received: x\r\nSubject: s\r\n\r\nb');
  });

  test('prepareSpoolDir sweeps its own leftovers of a crash, nothing else', async () => {
    const sub = join(dir, 'sweep');
    await prepareSpoolDir(sub, 'mx-');
    writeFileSync(join(sub, 'mx-left.eml'), 'x');
    writeFileSync(join(sub, 'sub-in-flight.eml'), 'x');
    await prepareSpoolDir(sub, 'mx-');
    assert.deepEqual(readdirSync(sub), ['sub-in-flight.eml'], 'another service\'s file is left alone');
  });
});
