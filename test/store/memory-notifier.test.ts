import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryNotifier } from '../../store/notifier/memory-notifier.js';
import type { ChangeEvent } from '../../domain/index.js';

const ev = (userId: string, uid: number): ChangeEvent => ({ type: 'expunge', userId, mailboxId: '1', uid, modseq: uid });

test('events reach only the subscribers of their user', () => {
  const n = createMemoryNotifier();
  const a: ChangeEvent[] = [];
  const b: ChangeEvent[] = [];
  n.subscribe('1', (e) => a.push(e));
  n.subscribe('2', (e) => b.push(e));
  n.publish([ev('1', 1), ev('2', 2), ev('1', 3)]);
  assert.deepEqual(a.map((e) => e.modseq), [1, 3]);
  assert.deepEqual(b.map((e) => e.modseq), [2]);
});

test('a throwing listener does not stop the others and is reported', () => {
  const errors: unknown[] = [];
  const n = createMemoryNotifier({ onError: (err) => errors.push(err) });
  const got: number[] = [];
  n.subscribe('1', () => {
    throw new Error('boom');
  });
  n.subscribe('1', (e) => got.push(e.modseq));
  n.publish([ev('1', 1), ev('1', 2)]);
  assert.deepEqual(got, [1, 2]);
  assert.equal(errors.length, 2);
});

test('unsubscribe, including from inside a listener; close stops delivery', async () => {
  const n = createMemoryNotifier();
  const got: number[] = [];
  const off = n.subscribe('1', (e) => {
    got.push(e.modseq);
    off();
  });
  n.publish([ev('1', 1), ev('1', 2)]);
  assert.deepEqual(got, [1]);
  const later: number[] = [];
  n.subscribe('1', (e) => later.push(e.modseq));
  await n.close();
  n.publish([ev('1', 3)]);
  assert.deepEqual(later, []);
});
