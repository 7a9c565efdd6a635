import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { SqliteStore } from '../../store/sqlite/index.js';
import { FTS_CRISISMERGE, ftsLevels } from '../../store/sqlite/search/fts-merge.js';
import type { BlobStore, Id, SearchQuery } from '../../domain/index.js';
import { makeMessage } from './fixtures.js';
import { openTempSqlite, type TempSqlite } from './sqlite-temp.js';

// SQLite-only: commits no longer merge content_fts (automerge=0); the background merge
// (store.searchIndex.merge) and FTS5's crisis merge do. Search must answer the same whatever the
// segments look like, the merge must finish, and without it the segments stay bounded.

let t: TempSqlite;
let blobs: BlobStore;
let store: SqliteStore;
let userId: Id;
let inbox: Id;

const COMMITS = 400;

before(async () => {
  t = await openTempSqlite('fts-merge');
  ({ blobs, store, userId, inbox } = t);
});

after(() => t.remove());

const config = (k: string) => store.db.prepare('SELECT v FROM content_fts_config WHERE k = ?').pluck().get(k);
const segments = () => ftsLevels(store.db).reduce((n, l) => n + l.segments, 0);
const body = (value: string, match: 'words' | 'substring'): SearchQuery => ({ type: 'text', field: 'body', value, match });

/** Message i (uid i + 1) says apple when i is odd, pear when even, quince when i % 3 == 0, and its own number (number<i>z). */
async function appendOne(i: number): Promise<void> {
  const text = `a note about number${i}z with ${i % 2 ? 'apple' : 'pear'}${i % 3 === 0 ? ' and quince' : ''}`;
  // Awaited one by one: each append is a group commit of its own, one segment each.
  await store.mail.append(userId, inbox, await makeMessage(blobs, { subject: `note ${i}`, text, messageId: `<n${i}@example.test>` }));
}

/** What each query must find, computed from the fixtures instead of from the index. */
function expected(live: Set<number>): Array<[SearchQuery, number[]]> {
  const uids = (pred: (i: number) => boolean) => [...live].filter(pred).map((i) => i + 1).sort((a, b) => a - b);
  return [
    [body('apple', 'words'), uids((i) => i % 2 === 1)],
    [body('quince', 'words'), uids((i) => i % 3 === 0)],
    [body('uinc', 'substring'), uids((i) => i % 3 === 0)],
    [body('pear quince', 'words'), uids((i) => i % 6 === 0)],
    [body('number17z', 'words'), uids((i) => i === 17)],
    [body('mber39z', 'substring'), uids((i) => i === 39)],
    [body('number39', 'words'), uids((i) => i === 39 || (i >= 390 && i < 400))],
  ];
}

async function assertSearches(live: Set<number>, when: string): Promise<void> {
  for (const [q, want] of expected(live)) {
    const got = [...(await store.mail.searchUids(inbox, q))].sort((a, b) => a - b);
    assert.deepEqual(got, want, `${when}: ${JSON.stringify(q)}`);
  }
  store.db.prepare("INSERT INTO content_fts(content_fts) VALUES ('integrity-check')").run();
}

test('opening the store turns automerge off and sets the crisis merge, once', async () => {
  assert.equal(config('automerge'), 0);
  assert.equal(config('crisismerge'), FTS_CRISISMERGE);
  // Someone changed it by hand: the next open puts it back.
  store.db.prepare("INSERT INTO content_fts(content_fts, rank) VALUES ('automerge', 4)").run();
  const second = await t.open();
  try {
    assert.equal(second.db.prepare("SELECT v FROM content_fts_config WHERE k = 'automerge'").pluck().get(), 0);
    // Already right: the next open leaves the table alone (a config write bumps the cookie that
    // opens content_fts's structure record).
    const cookie = () => (second.db.prepare('SELECT hex(substr(block, 1, 4)) FROM content_fts_data WHERE id = 10').pluck().get() as string);
    const before = cookie();
    const third = await t.open();
    await third.close();
    assert.equal(cookie(), before);
  } finally {
    await second.close();
  }
  // This handle cached the old setting; reopen it so the rest runs as the server would.
  store = await t.reopen();
});

test("FTS5's segment deletes use the rowid range, though the first open found 2 rows", async () => {
  const plan = (db: SqliteStore['db']) => (db.prepare('EXPLAIN QUERY PLAN SELECT count(*) FROM content_fts_data WHERE id >= ? AND id <= ?').get(1, 2) as { detail: string }).detail;
  const stat = (db: SqliteStore['db']) => db.prepare("SELECT stat FROM sqlite_stat1 WHERE tbl = 'content_fts_data'").pluck().get();
  assert.equal(store.db.prepare('SELECT count(*) FROM content_fts_data').pluck().get(), 2);
  assert.equal(stat(store.db), '1000');
  assert.match(plan(store.db), /^SEARCH content_fts_data USING INTEGER PRIMARY KEY/);
  // What PRAGMA optimize records at a new database's first open: with it, a full scan.
  store.db.exec("UPDATE sqlite_stat1 SET stat = '2' WHERE tbl = 'content_fts_data'; ANALYZE sqlite_schema");
  assert.match(plan(store.db), /^SCAN content_fts_data/);
  store = await t.reopen();
  assert.equal(stat(store.db), '1000');
  assert.match(plan(store.db), /^SEARCH content_fts_data USING INTEGER PRIMARY KEY/);
});

test('without the merge, one-message commits leave fewer than crisismerge segments per level', async () => {
  for (let i = 0; i < COMMITS; i++) await appendOne(i);
  const levels = ftsLevels(store.db);
  assert.ok(levels.length > 1, 'crisis merges moved segments up');
  for (const l of levels) assert.ok(l.segments < FTS_CRISISMERGE, `level with ${l.segments} segments`);
  // Far from the one-per-commit the index would hold without any merge.
  assert.ok(segments() < COMMITS / 8, `${segments()} segments`);
  // The structure decoder agrees with the segments FTS5 itself lists in its b-tree index.
  assert.equal(segments(), store.db.prepare('SELECT count(DISTINCT segid) FROM content_fts_idx').pluck().get());
  await assertSearches(new Set(Array.from({ length: COMMITS }, (_, i) => i)), 'automerge off, no merge');
});

test('the merge finishes, leaves few segments, and search answers the same', async () => {
  const segs = segments();
  const first = await store.searchIndex.merge();
  assert.equal(first.done, true);
  assert.ok(first.steps > 0);
  assert.ok(segments() < segs, `${segs} -> ${segments()}`);
  // Below FTS5's usermerge (4) on every level and no merge left half done.
  for (const l of ftsLevels(store.db)) assert.ok(l.segments < 4 && l.merging === 0, JSON.stringify(ftsLevels(store.db)));
  // Nothing written since: returns without a transaction.
  const changes = store.db.prepare('SELECT total_changes()').pluck();
  const c0 = changes.get();
  assert.deepEqual(await store.searchIndex.merge(), { steps: 0, done: true, longestStepMs: 0 });
  assert.equal(changes.get(), c0);
  await assertSearches(new Set(Array.from({ length: COMMITS }, (_, i) => i)), 'after the merge');
});

test('expunges (tombstones), more commits and a merge cut short by maxSteps or abort keep search right', async () => {
  const live = new Set(Array.from({ length: COMMITS }, (_, i) => i));
  for (let i = 0; i < COMMITS; i += 4) live.delete(i);
  const uids = Array.from({ length: COMMITS }, (_, i) => i + 1).filter((u) => !live.has(u - 1));
  await store.mail.updateFlags(inbox, uids, { action: 'add', flags: ['\\Deleted'] });
  await store.mail.expunge(inbox);
  for (let i = COMMITS; i < COMMITS + 60; i++) {
    await appendOne(i);
    live.add(i);
  }
  await assertSearches(live, 'after expunge, before merging');

  const short = await store.searchIndex.merge({ maxSteps: 1 });
  assert.deepEqual([short.steps, short.done], [1, false]);
  const ctl = new AbortController();
  ctl.abort();
  assert.equal((await store.searchIndex.merge({ signal: ctl.signal })).steps, 0);
  await assertSearches(live, 'merge cut short');

  const rest = await store.searchIndex.merge();
  assert.equal(rest.done, true);
  for (const l of ftsLevels(store.db)) assert.ok(l.segments < 4 && l.merging === 0, JSON.stringify(ftsLevels(store.db)));
  await assertSearches(live, 'after the merge');
});

test('a commit by another connection makes the next merge run', async () => {
  assert.equal((await store.searchIndex.merge()).steps, 0);
  const other = await t.open();
  try {
    for (let i = 0; i < 8; i++) await other.mail.append(userId, inbox, await makeMessage(blobs, { text: `elsewhere ${i}` }));
  } finally {
    await other.close();
  }
  assert.ok((await store.searchIndex.merge()).steps > 0);
});

test('merge on a closed store returns without touching it', async () => {
  const s = await t.open();
  await s.close();
  assert.deepEqual(await s.searchIndex.merge(), { steps: 0, done: false, longestStepMs: 0 });
});
