import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../store/sqlite/db.js';
import { FTS_CRISISMERGE, ftsLevels } from '../../store/sqlite/search/fts-merge.js';
import { baseEnv, heronCli } from '../helpers/heron-process.js';
import { writeTakeoutMbox } from '../helpers/takeout-mbox.js';

// `heron import` runs the server's background merge of content_fts between its commits: the
// import ends with its index in bounded levels and the store closed cleanly after the merger.

const dir = mkdtempSync(join(tmpdir(), 'heron-import-merge-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('an import leaves content_fts in bounded levels and exits cleanly', async () => {
  const env = baseEnv(join(dir, 'data'), { HERON_DOMAINS: 'example.test', HERON_LOG_LEVEL: 'warn' });
  const file = join(dir, 'takeout.mbox');
  const expected = await writeTakeoutMbox(file, { count: 1500 });
  assert.equal(heronCli(['user', 'add', 'ann@example.test'], env, { input: 'ann-secret-1\n' }).status, 0);
  const t0 = performance.now();
  const run = heronCli(['import', 'ann@example.test', file], env);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`import: ${expected.good.toLocaleString('en-US')} imported`));

  const db = openDatabase(join(dir, 'data', 'heron.sqlite'));
  try {
    const levels = ftsLevels(db);
    console.log(`import of ${expected.good} messages: ${Math.round(performance.now() - t0)} ms, segments per level ${JSON.stringify(levels.map((l) => l.segments))}`);
    assert.ok(levels.length > 0);
    for (const l of levels) assert.ok(l.segments < FTS_CRISISMERGE, JSON.stringify(levels));
    assert.equal(db.prepare("SELECT count(*) FROM content_fts WHERE content_fts MATCH 'archive'").pluck().get(), db.prepare('SELECT count(*) FROM contents').pluck().get());
  } finally {
    db.close();
  }
});
