import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreHarness } from './harness.js';
import { newUser } from './harness.js';

/**
 * Issue 9: a user id is never handed out again, not after deleting the newest user and not
 * after a restart. (A recycled id inherited the deleted user's tokens, app passwords and contacts.)
 */
export function userIdContract(h: () => StoreHarness): void {
  test('ids of deleted users are never reused, also across a reopen', async () => {
    const first = await newUser(h().store);
    const last = await newUser(h().store);
    await h().store.users.deleteUser(last.id);
    const next = await newUser(h().store);
    assert.notEqual(next.id, last.id);
    assert.notEqual(next.id, first.id);
    await h().store.users.deleteUser(next.id);
    const reopened = await h().reopen();
    const after = await newUser(reopened);
    for (const old of [first.id, last.id, next.id]) assert.notEqual(after.id, old);
    assert.equal(await reopened.users.getUser(last.id), null);
  });
}
