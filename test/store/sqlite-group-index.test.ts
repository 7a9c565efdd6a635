import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../store/sqlite/index.js';
import type { SqliteStore } from '../../store/sqlite/index.js';
import { runWrite } from '../../store/sqlite/context.js';
import type { StoreContext } from '../../store/sqlite/context.js';
import { FTS_COLUMNS, indexContent, unindexContents } from '../../store/sqlite/search/index-text.js';
import type { FieldValues } from '../../store/search/message-fields.js';
import { createVocabulary } from '../../store/sqlite/search/vocabulary.js';
import { createWalSync } from '../../store/sqlite/wal-sync.js';
import { createFsBlobStore } from '../../store/blobs/fs-blob-store.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';

// SQLite-only: a group commit writes its full-text rows together at its end (context.ts), so a
// write rolled back inside the group, or a content deleted in the group that delivered it, must
// leave no index row behind and take none away from the others.

let dir: string;
let store: SqliteStore;
let ctx: StoreContext;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heron-group-index-'));
  const blobs = createFsBlobStore(path.join(dir, 'blobs'));
  store = await openSqliteStore({ path: path.join(dir, 'heron.sqlite'), blobs, notifier: createMemoryNotifier() });
  const db = store.db;
  ctx = { db, blobs, notifier: createMemoryNotifier(), now: Date.now, freshBlobMs: 0, vocabulary: createVocabulary(db), warned: new Set(), wal: createWalSync(db) };
});

after(async () => {
  await ctx.wal.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function fields(word: string): FieldValues {
  const f = Object.fromEntries(FTS_COLUMNS.map((c) => [c, ''])) as FieldValues;
  f.body = word;
  return f;
}

const matches = (word: string): number[] => store.db.prepare('SELECT rowid FROM content_fts WHERE content_fts MATCH ?').pluck().all(word) as number[];

test('rows of rolled-back writes and of contents deleted in the same group are never indexed', async () => {
  const boom = new Error('rolled back');
  // Queued in one turn of the event loop: one group commit, one transaction.
  const results = await Promise.allSettled([
    runWrite(ctx, (fx) => indexContent(ctx.db, fx, ctx.vocabulary, 900001, fields('alphaone'), [])),
    runWrite(ctx, (fx) => {
      indexContent(ctx.db, fx, ctx.vocabulary, 900002, fields('betatwo'), []);
      throw boom;
    }),
    runWrite(ctx, (fx) => {
      indexContent(ctx.db, fx, ctx.vocabulary, 900003, fields('gammathree'), []);
      unindexContents(ctx.db, fx, [900001]);
      throw boom;
    }),
    runWrite(ctx, (fx) => {
      indexContent(ctx.db, fx, ctx.vocabulary, 900004, fields('deltafour'), []);
      unindexContents(ctx.db, fx, [900004]);
    }),
  ]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
  );
  assert.deepEqual(matches('alphaone'), [900001]);
  assert.deepEqual(matches('betatwo'), []);
  assert.deepEqual(matches('gammathree'), []);
  assert.deepEqual(matches('deltafour'), []);

  // Deleted by a later group: an ordinary DELETE of the written row.
  await runWrite(ctx, (fx) => unindexContents(ctx.db, fx, [900001]));
  assert.deepEqual(matches('alphaone'), []);
  assert.deepEqual(store.db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
});
