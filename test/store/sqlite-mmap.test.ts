import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteBackend } from '../../store/sqlite/backend.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { DEFAULT_MMAP_BYTES, openDatabase } from '../../store/sqlite/db.js';

// The memory map is a per-handle setting: the server keeps the default, `heron import` asks for
// a smaller one (its mapped pages count in its resident set).

const mmapOf = (db: { pragma(s: string, o: { simple: true }): unknown }) => db.pragma('mmap_size', { simple: true });

test('openDatabase maps DEFAULT_MMAP_BYTES unless told otherwise; 0 turns the map off', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-mmap-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [opts, want] of [
    [{}, DEFAULT_MMAP_BYTES],
    [{ mmapBytes: 64 * 1024 * 1024 }, 64 * 1024 * 1024],
    [{ mmapBytes: 0 }, 0],
  ] as const) {
    const db = openDatabase(path.join(dir, 'x.sqlite'), opts);
    try {
      assert.equal(mmapOf(db), want);
    } finally {
      db.close();
    }
  }
});

test('openDatabase rejects a map size that is not a whole number of bytes', () => {
  for (const mmapBytes of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => openDatabase(':memory:', { mmapBytes }), RangeError);
  }
});

test('the backend passes its map size down to the handle it opens', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-mmap-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const small = await openSqliteBackend({ dataDir: dir, notifier: createMemoryNotifier(), mmapBytes: 8 * 1024 * 1024 });
  try {
    assert.equal(mmapOf(small.db), 8 * 1024 * 1024);
  } finally {
    await small.close();
  }
  const server = await openSqliteBackend({ dataDir: dir, notifier: createMemoryNotifier() });
  try {
    assert.equal(mmapOf(server.db), DEFAULT_MMAP_BYTES);
  } finally {
    await server.close();
  }
});
