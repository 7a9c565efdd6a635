import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runWrite } from '../../store/sqlite/context.js';
import type { StoreContext } from '../../store/sqlite/context.js';
import { FTS_COLUMNS, indexContent } from '../../store/sqlite/search/index-text.js';
import type { FieldValues } from '../../store/search/message-fields.js';
import { createVocabulary } from '../../store/sqlite/search/vocabulary.js';
import { createWalSync } from '../../store/sqlite/wal-sync.js';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import { openTempSqlite, type TempSqlite } from './sqlite-temp.js';

// SQLite-only: the vocabulary's cache of known terms is bounded (search/vocabulary.ts); terms it
// no longer holds are written again with INSERT OR IGNORE. Substring lookups must find every
// term exactly once whatever the cache dropped, in this process and in a fresh one.

let t: TempSqlite;
let ctx: StoreContext;

before(async () => {
  t = await openTempSqlite('vocabulary');
  const db = t.store.db;
  // A cache of 8 terms: the one-off terms below cycle it many times.
  ctx = { db, blobs: t.blobs, notifier: createMemoryNotifier(), now: Date.now, freshBlobMs: 0, vocabulary: createVocabulary(db, { knownTerms: 8 }), warned: new Set(), wal: createWalSync(db) };
});

after(async () => {
  await ctx.wal.close();
  await t.remove();
});

function fields(tokens: string[]): FieldValues {
  const f = Object.fromEntries(FTS_COLUMNS.map((c) => [c, ''])) as FieldValues;
  f.body = tokens.join(' ');
  return f;
}

const sorted = (a: string[] | null) => [...(a ?? [])].sort();

test('every term is stored and found while the bounded cache cycles', async () => {
  // Loads the (empty) search copy first, so later terms go through its pending list.
  assert.deepEqual(ctx.vocabulary.find('once', 'infix', 1000), []);
  const onceTerms: string[] = [];
  for (let i = 1; i <= 60; i++) {
    const tokens = ['commonword', `shared${i % 3}`, `once${i}x`];
    onceTerms.push(`once${i}x`);
    await runWrite(ctx, (fx) => indexContent(ctx.db, fx, ctx.vocabulary, i, fields(tokens), tokens));
  }
  // A group commit: two contents with the same new term in one transaction.
  await Promise.all(
    [61, 62].map((id) => runWrite(ctx, (fx) => indexContent(ctx.db, fx, ctx.vocabulary, id, fields(['twinterm', 'commonword']), ['twinterm', 'commonword']))),
  );

  const stored = ctx.db.prepare('SELECT term FROM search_terms ORDER BY term').pluck().all() as string[];
  assert.deepEqual(stored, sorted(['commonword', 'shared0', 'shared1', 'shared2', 'twinterm', ...onceTerms]));

  assert.deepEqual(sorted(ctx.vocabulary.find('once', 'infix', 1000)), sorted(onceTerms));
  assert.deepEqual(ctx.vocabulary.find('onword', 'infix', 1000), ['commonword']);
  assert.deepEqual(sorted(ctx.vocabulary.find('hared', 'infix', 1000)), ['shared0', 'shared1', 'shared2']);
  assert.deepEqual(ctx.vocabulary.find('0x', 'suffix', 1000)?.length, 6);
  assert.deepEqual(ctx.vocabulary.find('win', 'infix', 1000), ['twinterm']);
  assert.equal(ctx.vocabulary.find('once', 'infix', 10), null, 'over the limit');

  // A fresh process reads the same terms from search_terms.
  const fresh = createVocabulary(ctx.db, { knownTerms: 8 });
  assert.deepEqual(sorted(fresh.find('once', 'infix', 1000)), sorted(onceTerms));
  assert.deepEqual(fresh.find('twin', 'infix', 1000), ['twinterm']);
});
