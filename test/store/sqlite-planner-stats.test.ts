import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPlannerStatsRefresher, STATS_REFRESH_MS } from '../../store/sqlite/planner-stats.js';
import { makeMessage } from './fixtures.js';
import { openTempSqlite, type TempSqlite } from './sqlite-temp.js';

// SQLite-only: the planner's statistics, recorded at a new database's first open, are refreshed
// while the process runs (hourly when written to, sooner after growth), not only at the next open.

let t: TempSqlite;

before(async () => {
  t = await openTempSqlite('planner-stats');
});

after(() => t.remove());

/** Rows sqlite_stat1 records for `messages` (its date index's first figure), undefined when never analyzed. */
const recordedMessages = () => {
  const stat = t.store.db.prepare("SELECT stat FROM sqlite_stat1 WHERE idx = 'messages_user_date'").pluck().get() as string | undefined;
  return stat === undefined ? undefined : Number.parseInt(stat, 10);
};
const messageCount = () => t.store.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
const append = async (n: number) => {
  for (let i = 0; i < n; i++) await t.store.mail.append(t.userId, t.inbox, await makeMessage(t.blobs, { text: `stats message ${i}` }));
};

test('growth and the hourly refresh bring sqlite_stat1 up to date; nothing runs when not due', async () => {
  let clock = 1_000_000;
  const refresh = createPlannerStatsRefresher(t.store.db, { now: () => clock, growthFloor: 200 });
  assert.deepEqual(await refresh(), { ran: false, ms: 0 }, 'nothing written yet');

  await append(3);
  await t.reopen();
  // The database as a new server leaves it: analyzed while tiny.
  const small = recordedMessages();
  assert.ok(small !== undefined && small <= 3, String(small));

  const refresher = createPlannerStatsRefresher(t.store.db, { now: () => clock, growthFloor: 200 });
  await append(40);
  const grown = await refresher();
  assert.equal(grown.ran, true, 'grown past the floor');
  assert.equal(recordedMessages(), messageCount());
  console.log(`refresh at ${messageCount()} messages: ${grown.ms.toFixed(1)} ms`);

  // Written since, below the floor and its doubling: due only once the hour is over.
  await append(2);
  assert.equal((await refresher()).ran, false);
  clock += STATS_REFRESH_MS;
  assert.equal((await refresher()).ran, true);
  // An hour with nothing written: nothing to refresh.
  clock += STATS_REFRESH_MS;
  assert.equal((await refresher()).ran, false);
});

test('the store wires a refresher into searchIndex, and it is a no-op on a closed handle', async () => {
  const refresh = t.store.searchIndex.refreshStatistics;
  assert.ok(refresh);
  assert.equal((await refresh()).ran, false, 'nothing due right after open');
  const closing = await t.open();
  const onClosed = closing.searchIndex.refreshStatistics!;
  await closing.close();
  assert.deepEqual(await onClosed(), { ran: false, ms: 0 });
});
