import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, needsRehash, verifyPassword } from '../../store/password.js';

test('argon2id PHC hashes verify the right password only', async () => {
  const hash = await hashPassword('pässword 1');
  assert.match(hash, /^\$argon2id\$v=19\$/);
  assert.equal(await verifyPassword(hash, 'pässword 1'), true);
  assert.equal(await verifyPassword(hash, 'password 1'), false);
  assert.notEqual(await hashPassword('pässword 1'), hash, 'salted');
  assert.equal(needsRehash(hash), false);
});

test('malformed or unknown hashes never throw', async () => {
  for (const bad of ['', 'plain', '$argon2id$garbage', '$2b$10$abcdefghijklmnopqrstuv', '$argon2id$v=19$m=1,t=1,p=1$\u0000$\u0000']) {
    assert.equal(await verifyPassword(bad, 'x'), false);
    assert.equal(needsRehash(bad), true);
  }
});
