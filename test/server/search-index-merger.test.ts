import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ftsLevels } from '../../store/sqlite/search/fts-merge.js';
import { startSearchIndexMerger } from '../../server/search-index-merger.js';
import { makeMessage } from '../store/fixtures.js';
import { openTempSqlite, type TempSqlite } from '../store/sqlite-temp.js';

// The server's timer around store.searchIndex.merge(): it merges what one-message commits left,
// and stop() leaves nothing running on the store it is about to close.

let t: TempSqlite;

before(async () => {
  t = await openTempSqlite('merger');
});

after(() => t.remove());

const maxPerLevel = () => Math.max(0, ...ftsLevels(t.store.db).map((l) => l.segments));
const appendSome = async (n: number, tag: string) => {
  for (let i = 0; i < n; i++) await t.store.mail.append(t.userId, t.inbox, await makeMessage(t.blobs, { text: `${tag} message ${i}` }));
};

test('the timer merges the segments one-message commits leave, and stops cleanly', async () => {
  await appendSome(12, 'first');
  assert.ok(maxPerLevel() >= 4, 'commits alone do not merge below crisismerge');
  const merger = startSearchIndexMerger(t.store.searchIndex, { intervalMs: 10 });
  try {
    for (let i = 0; i < 200 && maxPerLevel() >= 4; i++) await sleep(10);
    assert.ok(maxPerLevel() < 4, JSON.stringify(ftsLevels(t.store.db)));
  } finally {
    await merger.stop();
  }
  // Stopped: new segments stay where they are.
  await appendSome(8, 'later');
  const levels = JSON.stringify(ftsLevels(t.store.db));
  await sleep(50);
  assert.equal(JSON.stringify(ftsLevels(t.store.db)), levels);
});

test('stop() during a run waits for it to end, so the store can close right after', async () => {
  await appendSome(40, 'busy');
  let runs = 0;
  let settled = 0;
  const merger = startSearchIndexMerger(
    {
      merge: async (opts) => {
        runs++;
        try {
          return await t.store.searchIndex.merge(opts);
        } finally {
          settled++;
        }
      },
    },
    { intervalMs: 1 },
  );
  while (runs === 0) await sleep(1);
  await merger.stop();
  assert.equal(settled, runs);
  await sleep(20);
  assert.equal(runs, 1, 'no run after stop()');
});

test('each run refreshes the planner statistics after merging, and none runs after stop()', async () => {
  const calls: string[] = [];
  const merger = startSearchIndexMerger(
    {
      merge: async () => {
        calls.push('merge');
        return { steps: 0, done: true, longestStepMs: 0 };
      },
      refreshStatistics: async () => {
        calls.push('stats');
        return { ran: false, ms: 0 };
      },
    },
    { intervalMs: 1 },
  );
  while (calls.length < 4) await sleep(1);
  await merger.stop();
  const seen = calls.length;
  assert.deepEqual(calls.slice(0, 4), ['merge', 'stats', 'merge', 'stats']);
  await sleep(20);
  assert.equal(calls.length, seen);
});
