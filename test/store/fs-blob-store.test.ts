import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import type { BlobStore } from '../../domain/index.js';
import type { Readable } from 'node:stream';

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('fs blob store', () => {
  let dir: string;
  let blobs: BlobStore;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-blobs-'));
    blobs = createFsBlobStore(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('put is content-addressed, fanned out and idempotent', async () => {
    const data = Buffer.from('hello blob');
    const a = await blobs.put(data);
    const b = await blobs.put(Buffer.from('hello blob'));
    const expected = createHash('sha256').update(data).digest('hex');
    assert.deepEqual(a, { id: expected, size: data.length });
    assert.deepEqual(b, a);
    assert.ok(fs.existsSync(path.join(dir, expected.slice(0, 2), expected.slice(2, 4), expected)));
    assert.ok(await blobs.has(a.id));
    const leftovers = fs.readdirSync(path.join(dir, expected.slice(0, 2), expected.slice(2, 4))).filter((f) => f.endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
  });

  test('ranged reads: start inclusive, end exclusive', async () => {
    const data = Buffer.from('0123456789');
    const { id } = await blobs.put(data);
    assert.equal((await read(blobs.createReadStream(id))).toString(), '0123456789');
    assert.equal((await read(blobs.createReadStream(id, { start: 2, end: 5 }))).toString(), '234');
    assert.equal((await read(blobs.createReadStream(id, { start: 7 }))).toString(), '789');
    assert.equal((await read(blobs.createReadStream(id, { end: 3 }))).toString(), '012');
    assert.equal((await read(blobs.createReadStream(id, { start: 5, end: 5 }))).length, 0);
  });

  test('binary and empty content round-trip', async () => {
    const bin = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 256));
    const { id } = await blobs.put(bin);
    assert.deepEqual(await read(blobs.createReadStream(id)), bin);
    const empty = await blobs.put(Buffer.alloc(0));
    assert.equal(empty.size, 0);
    assert.equal((await read(blobs.createReadStream(empty.id))).length, 0);
  });

  test('missing and hostile ids: ENOENT stream error, has() false, delete no-op', async () => {
    const missing = 'f'.repeat(64);
    await assert.rejects(read(blobs.createReadStream(missing)), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    for (const bad of ['../../etc/passwd', '', 'ABC', 'a'.repeat(63), `${'a'.repeat(64)}/x`, 'a\u0000b']) {
      await assert.rejects(read(blobs.createReadStream(bad)), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
      assert.equal(await blobs.has(bad), false);
      await blobs.delete(bad);
    }
    await blobs.delete(missing);
  });

  test('delete removes the blob; put after delete restores it', async () => {
    const { id } = await blobs.put(Buffer.from('short-lived'));
    await blobs.delete(id);
    assert.equal(await blobs.has(id), false);
    await blobs.put(Buffer.from('short-lived'));
    assert.equal((await read(blobs.createReadStream(id))).toString(), 'short-lived');
  });
});
