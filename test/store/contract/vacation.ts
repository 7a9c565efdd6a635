import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend } from '../backends.js';
import { contractSuite } from './run.js';

/** The VacationLog contract (domain/vacation-log.ts, RFC 3834 2). */
export function runVacationLogContract(backend: Backend): void {
  contractSuite('VacationLog', backend, (h) => {
    const log = () => h().store.vacation;

    test('one reply per sender per period, per user, case-insensitive', async () => {
      const t = new Date('2030-01-01T00:00:00Z');
      assert.equal(await log().claimReply('1', 'Ann@x.test', 1000, t), true);
      assert.equal(await log().claimReply('1', 'ann@x.test', 1000, new Date(t.getTime() + 999)), false);
      assert.equal(await log().claimReply('2', 'ann@x.test', 1000, t), true, 'per user');
      assert.equal(await log().claimReply('1', 'ann@x.test', 1000, new Date(t.getTime() + 1000)), true, 'next period');
      await log().reset('1');
      assert.equal(await log().claimReply('1', 'ann@x.test', 1000, new Date(t.getTime() + 1001)), true, 'reset starts afresh');
    });

    test('concurrent claims for the same sender: exactly one wins', async () => {
      const t = new Date('2031-01-01T00:00:00Z');
      const results = await Promise.all(Array.from({ length: 8 }, () => log().claimReply('9', 'race@x.test', 60_000, t)));
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('replies are remembered across a reopen', async () => {
      const t = new Date('2032-01-01T00:00:00Z');
      assert.equal(await log().claimReply('5', 'keep@x.test', 60_000, t), true);
      await h().reopen();
      assert.equal(await log().claimReply('5', 'keep@x.test', 60_000, new Date(t.getTime() + 1)), false);
    });
  });
}
