import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateGate } from '../../../imap/session/rate-gate.js';

test('a burst passes, then commands wait in proportion to the rate; idle buckets are pruned', () => {
  let now = 0;
  const g = new RateGate(10, 5, () => now);
  for (let i = 0; i < 5; i++) assert.equal(g.take('u'), 0);
  assert.equal(g.take('u'), 100);
  assert.equal(g.take('other'), 0);
  now += 10_000;
  assert.equal(g.take('u'), 0);
  g.prune();
  assert.equal(g.take('u'), 0);
});
