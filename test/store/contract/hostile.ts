import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStoreError } from '../../../domain/index.js';
import type { PreparedMessage } from '../../../domain/index.js';
import type { StoreHarness } from './harness.js';
import { inboxOf, newUser } from './harness.js';
import { collect, makeMessage } from '../fixtures.js';

export function hostileContract(h: () => StoreHarness): void {
  test('NUL bytes, SQL and FTS syntax in stored fields round-trip and stay searchable', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const subject = `evil\u0000subject '); DROP TABLE messages; -- "NEAR(" *`;
    const r = await store.mail.append(u.id, inbox.id, await makeMessage(blobs, { subject, text: `body\u0000with nul ${'long '.repeat(20_000)}` }));
    const [m] = await collect(store.mail.getMessages(inbox.id, [r.uid], { fields: ['header', 'content'] }));
    assert.equal(m!.header!.subject, subject);
    assert.deepEqual(await store.mail.searchUids(inbox.id, { type: 'text', field: 'subject', value: 'DROP TABLE', match: 'words' }), [r.uid]);
    assert.deepEqual(await store.mail.searchUids(inbox.id, { type: 'text', field: 'subject', value: "'); drop", match: 'substring' }), [r.uid]);
    assert.deepEqual(await store.mail.listUids(inbox.id), [r.uid]);
  });

  test('garbage ids and selectors answer not_found / empty, never crash', async () => {
    const { store } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    for (const id of ['', '0', '-1', 'abc', '1e9', '1; DROP TABLE users', '99999999999999999999', '\u0000']) {
      await assert.rejects(store.mail.getMailboxStatus(id), (e) => isStoreError(e, 'not_found'), JSON.stringify(id));
      await assert.rejects(store.mail.listUids(id), (e) => isStoreError(e, 'not_found'));
      assert.equal(await store.mail.getMailboxById(u.id, id), null);
      assert.equal(await store.users.getUser(id), null);
    }
    assert.deepEqual(await collect(store.mail.getMessages(inbox.id, [0, -1, 1.5, Number.NaN, 2 ** 40])), []);
    assert.deepEqual(await collect(store.mail.getMessages(inbox.id, { start: 0, end: 0 })), []);
    assert.equal(await store.users.findUserByLogin('x'.repeat(100_000)), null);
    assert.equal(await store.users.resolveAddress('\u0000@example.test'), null);
    assert.equal(await store.users.verifyPassword(u.address, 'x'.repeat(100_000)), null);
  });

  test('malformed prepared messages and bad dates are refused with invalid', async () => {
    const { store, blobs } = h();
    const u = await newUser(store);
    const inbox = await inboxOf(store, u);
    const good = await makeMessage(blobs);
    const bad: unknown[] = [
      null,
      {},
      { ...good, size: -1 },
      { ...good, size: 1.5 },
      { ...good, size: good.size + 1 },
      { ...good, header: null },
      { ...good, blobIds: 'x' },
      { ...good, content: 'x' },
      { ...good, content: [{ data: 'not a buffer' }] },
      { ...good, content: [{ blobId: '../../etc/passwd', size: good.size }] },
      { ...good, structure: null },
      { ...good, sortKeys: null },
    ];
    for (const m of bad) {
      await assert.rejects(store.mail.append(u.id, inbox.id, m as PreparedMessage), (e) => isStoreError(e, 'invalid'));
    }
    await assert.rejects(store.mail.append(u.id, inbox.id, good, { internalDate: new Date('nope') }), (e) => isStoreError(e, 'invalid'));
    await assert.rejects(store.mail.deliver(good, []), (e) => isStoreError(e, 'invalid'));
    await assert.rejects(store.mail.append(u.id, inbox.id, good, { flags: ['bad flag'] }), (e) => isStoreError(e, 'invalid'));
    // still serving
    assert.equal((await store.mail.append(u.id, inbox.id, good)).uid, 1);
  });

  test('hostile user input: usernames, addresses, long values', async () => {
    const { store } = h();
    for (const username of ['', 'a b', 'a@b', 'x'.repeat(200), '../etc', 'nul\u0000']) {
      await assert.rejects(store.users.createUser({ username, address: 'ok@example.test', password: 'p' }), (e) => isStoreError(e, 'invalid'));
    }
    for (const address of ['', 'noat', 'a@', '@b', 'a b@example.test', 'a@exa mple.test', 'x'.repeat(300) + '@example.test']) {
      await assert.rejects(store.users.createUser({ username: 'okname', address, password: 'p' }), (e) => isStoreError(e, 'invalid'));
    }
    const u = await newUser(store);
    await assert.rejects(store.users.updateUser(u.id, { displayName: 'x'.repeat(10_000) }), (e) => isStoreError(e, 'invalid'));
    await assert.rejects(store.users.updateUser(u.id, { quota: -5 }), (e) => isStoreError(e, 'invalid'));
  });
}
