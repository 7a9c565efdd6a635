import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStoreError } from '../../../domain/index.js';
import type { StoreHarness } from './harness.js';
import { DOMAIN, newUser } from './harness.js';

export function userContract(h: () => StoreHarness): void {
  test('domains: add is idempotent and case-insensitive, list, isLocal, delete', async () => {
    const { users } = h().store;
    const a = await users.addDomain('Mixed.Example.TEST');
    const b = await users.addDomain('mixed.example.test');
    assert.equal(a.id, b.id);
    assert.equal(a.name, 'mixed.example.test');
    assert.ok(await users.isLocalDomain('MIXED.example.test'));
    assert.ok((await users.listDomains()).some((d) => d.name === 'mixed.example.test'));
    await users.deleteDomain('mixed.example.test');
    assert.equal(await users.isLocalDomain('mixed.example.test'), false);
    await assert.rejects(users.deleteDomain('mixed.example.test'), (e) => isStoreError(e, 'not_found'));
    await assert.rejects(users.addDomain('bad domain!'), (e) => isStoreError(e, 'invalid'));
  });

  test('deleteDomain refuses while addresses use it', async () => {
    const { users } = h().store;
    await newUser(h().store);
    await assert.rejects(users.deleteDomain(DOMAIN), (e) => isStoreError(e, 'conflict'));
  });

  test('createUser makes the six special-use mailboxes and hashes the password', async () => {
    const { store } = h();
    const u = await newUser(store);
    const boxes = await store.mail.listMailboxes(u.id);
    assert.deepEqual(boxes.map((b) => b.path).sort(), ['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
    for (const use of ['\\Inbox', '\\Sent', '\\Drafts', '\\Junk', '\\Trash', '\\Archive'] as const) {
      assert.ok(await store.mail.getSpecialMailbox(u.id, use), use);
    }
    const validities = new Set(boxes.map((b) => b.uidValidity));
    assert.equal(validities.size, 6, 'UIDVALIDITY unique per user');
    assert.equal(u.storageUsed, 0);
    assert.equal(u.disabled, false);
  });

  test('createUser: already_exists for taken username or address; invalid for a non-local domain', async () => {
    const { users } = h().store;
    const u = await newUser(h().store);
    await assert.rejects(users.createUser({ username: u.username, address: `other-${u.username}@${DOMAIN}`, password: 'x' }), (e) =>
      isStoreError(e, 'already_exists'),
    );
    await assert.rejects(users.createUser({ username: `z${u.username}`, address: u.address.toUpperCase(), password: 'x' }), (e) =>
      isStoreError(e, 'already_exists'),
    );
    await assert.rejects(users.createUser({ username: 'nodomain', address: 'nodomain@elsewhere.test', password: 'x' }), (e) =>
      isStoreError(e, 'invalid'),
    );
  });

  test('findUserByLogin by username, address and alias; resolveAddress; listAddresses', async () => {
    const { users } = h().store;
    const u = await newUser(h().store);
    assert.equal((await users.findUserByLogin(u.username.toUpperCase()))?.id, u.id);
    assert.equal((await users.findUserByLogin(u.address))?.id, u.id);
    const alias = `alias-${u.username}@${DOMAIN}`;
    await users.addAddress(u.id, alias.toUpperCase());
    assert.equal((await users.findUserByLogin(alias))?.id, u.id);
    assert.deepEqual(await users.resolveAddress(alias.toUpperCase()), { userId: u.id, address: alias });
    assert.equal(await users.resolveAddress(`nobody@${DOMAIN}`), null);
    assert.deepEqual((await users.listAddresses(u.id)).sort(), [alias, u.address].sort());
    await assert.rejects(users.addAddress(u.id, alias), (e) => isStoreError(e, 'already_exists'));
    await assert.rejects(users.addAddress(u.id, 'x@not-local.test'), (e) => isStoreError(e, 'invalid'));
  });

  test('verifyPassword: right, wrong, unknown user, disabled user', async () => {
    const { users } = h().store;
    const u = await newUser(h().store, { password: 'S3cret pass' });
    assert.equal((await users.verifyPassword(u.address, 'S3cret pass'))?.id, u.id);
    assert.equal((await users.verifyPassword(u.username, 'S3cret pass'))?.id, u.id);
    assert.equal(await users.verifyPassword(u.address, 's3cret pass'), null);
    assert.equal(await users.verifyPassword(`nobody@${DOMAIN}`, 'S3cret pass'), null);
    await users.updateUser(u.id, { disabled: true });
    assert.equal(await users.verifyPassword(u.address, 'S3cret pass'), null);
    await users.updateUser(u.id, { disabled: false, password: 'new one' });
    assert.equal(await users.verifyPassword(u.address, 'S3cret pass'), null);
    assert.equal((await users.verifyPassword(u.address, 'new one'))?.id, u.id);
  });

  test('getUser, listUsers, updateUser; not_found for unknown ids', async () => {
    const { users } = h().store;
    const u = await newUser(h().store);
    const updated = await users.updateUser(u.id, { displayName: 'Ann A', firstName: 'Ann', lastName: 'A', phone: '+15550100', verified: true, quota: 1000 });
    assert.equal(updated.displayName, 'Ann A');
    assert.equal(updated.verified, true);
    assert.equal(updated.quota, 1000);
    assert.equal((await users.getUser(u.id))?.phone, '+15550100');
    assert.ok((await users.listUsers({ limit: 1000 })).some((x) => x.id === u.id));
    assert.equal(await users.getUser('999999999'), null);
    assert.equal(await users.getUser('not-an-id'), null);
    await assert.rejects(users.updateUser('999999999', { displayName: 'x' }), (e) => isStoreError(e, 'not_found'));
    await assert.rejects(users.deleteUser('999999999'), (e) => isStoreError(e, 'not_found'));
  });

  test('deleteUser removes the user, mailboxes and addresses', async () => {
    const { store } = h();
    const u = await newUser(store);
    await store.users.deleteUser(u.id);
    assert.equal(await store.users.getUser(u.id), null);
    assert.equal(await store.users.resolveAddress(u.address), null);
    assert.deepEqual(await store.mail.listMailboxes(u.id), []);
  });
}
