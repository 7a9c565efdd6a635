import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UidView } from '../../../imap/session/uid-view.js';
import { STAR } from '../../../imap/protocol/sequence-set.js';

test('sequence numbers and UIDs map both ways; `*` is the last message (RFC 3501 6.4.8)', () => {
  const v = new UidView([3, 7, 8, 20]);
  assert.equal(v.uidAt(2), 7);
  assert.equal(v.seqOf(20), 4);
  assert.equal(v.seqOf(5), 0);
  assert.deepEqual(v.bySeq([[2, 3]]), [7, 8]);
  assert.deepEqual(v.bySeq([[STAR, STAR], [1, 1]]), [3, 20]);
  assert.deepEqual(v.byUid([[5, STAR]]), [7, 8, 20]);
  assert.deepEqual(v.byUid([[100, STAR]]), [20]);
  assert.deepEqual(v.byUid([[21, 30]]), []);
  assert.deepEqual(v.byUid([[1, 7], [8, 8]]), [3, 7, 8]);
  v.remove(new Set([7, 20]));
  assert.deepEqual(v.uids, [3, 8]);
  assert.deepEqual(new UidView([]).byUid([[1, STAR]]), []);
});

test('runs split and merge as messages come and go', () => {
  const v = new UidView([1, 2, 3, 4, 5, 9, 10]);
  v.remove(new Set([1, 3, 10, 42]));
  assert.deepEqual(v.uids, [2, 4, 5, 9]);
  assert.equal(v.size, 4);
  assert.deepEqual([v.seqOf(2), v.seqOf(4), v.seqOf(5), v.seqOf(9), v.seqOf(3)], [1, 2, 3, 4, 0]);
  assert.deepEqual([1, 2, 3, 4, 5].map((s) => v.uidAt(s)), [2, 4, 5, 9, 0]);
  v.append([11, 12, 14]);
  assert.deepEqual(v.bySeq([[3, 6]]), [5, 9, 11, 12]);
  assert.deepEqual(v.byUid([[5, 12]]), [5, 9, 11, 12]);
  assert.equal(v.maxUid, 14);
  v.remove(new Set([2, 4, 5, 9, 11, 12, 14]));
  assert.equal(v.size, 0);
  assert.equal(v.maxUid, 0);
});

test('40,000 ranges resolve in one sort and one pass', () => {
  const v = new UidView(Array.from({ length: 100_000 }, (_, i) => i + 1));
  const ranges: Array<[number, number]> = Array.from({ length: 40_000 }, (_, i) => [i * 2 + 1, i * 2 + 1]);
  const started = Date.now();
  assert.equal(v.byUid(ranges).length, 40_000);
  assert.equal(v.bySeq(ranges).length, 40_000);
  assert.ok(Date.now() - started < 5000);
});
